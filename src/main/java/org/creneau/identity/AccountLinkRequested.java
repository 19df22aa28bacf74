package org.creneau.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * An account's owner is to be mailed a link: to verify the email address (at registration, or sent
 * again), or to reset a forgotten password. Identifiers only: the link itself is issued when the
 * mail is written ({@link AccountLinks#issue}), so no token is ever kept with the event.
 */
public record AccountLinkRequested(Purpose purpose, UUID accountId, UUID requestId, Instant occurredAt) {

    public enum Purpose {
        VERIFY_EMAIL,
        RESET_PASSWORD
    }
}
