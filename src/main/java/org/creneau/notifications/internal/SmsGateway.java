package org.creneau.notifications.internal;

import java.util.UUID;
import org.creneau.platform.PhoneNumber;

/**
 * Where an SMS goes: the platform's own {@code sms_outbox} table (development, and any platform
 * without an SMS provider) or an SMS provider over HTTP. {@link SmsGateways} picks one from
 * {@code creneau.sms.gateway}.
 */
interface SmsGateway {

    /**
     * Hands over one SMS. The message's outbox id goes with it, so a gateway told twice (a worker
     * killed between the send and its mark) can tell the copy.
     *
     * @throws Refused when it did not take it; {@link Refused#retryable()} says whether to try again
     */
    void send(UUID messageId, PhoneNumber to, String text);

    /** What the gateway said instead of taking the SMS: a reason for the platform admin, never the text. */
    final class Refused extends RuntimeException {

        private final boolean retryable;

        Refused(String reason, boolean retryable) {
            super(reason);
            this.retryable = retryable;
        }

        boolean retryable() {
            return retryable;
        }
    }
}
