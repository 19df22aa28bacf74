package org.creneau.notifications.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes messages to the durable outbox, in the caller's transaction when there is one (a module
 * listener's, which the event publication registry completes only if it commits). A message already
 * there for the same event, recipient, channel and kind is not added again.
 */
@Component
class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;

    Outbox(JdbcClient jdbc, TenantScope scope, Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
    }

    /** Queues the message to go out now; returns false when it was already queued (or sent). */
    boolean enqueue(Message message) {
        return enqueue(message, clock.instant());
    }

    /** Queues the messages in one transaction; returns how many were new. */
    int enqueueAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        return scope.write(Caller.ANONYMOUS, () -> {
            int added = 0;
            for (Message message : messages) {
                if (enqueue(message, now)) {
                    added++;
                }
            }
            return added;
        });
    }

    /** Queues the message to go out no earlier than {@code notBefore}. */
    boolean enqueue(Message message, Instant notBefore) {
        Instant now = clock.instant();
        boolean added = scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                INSERT INTO message (id, event_key, recipient, channel, kind, reference, subject,
                                                     body_text, body_html, attachment_name, attachment_type,
                                                     attachment, next_attempt_at, created_at)
                                VALUES (:id, :eventKey, :recipient, :channel, :kind, :reference, :subject,
                                        :text, :html, :attachmentName, :attachmentType, :attachment, :notBefore, :now)
                                ON CONFLICT ON CONSTRAINT message_once DO NOTHING
                                """)
                                .param("id", UUID.randomUUID())
                                .param("eventKey", message.eventKey())
                                .param("recipient", message.recipient())
                                .param("channel", message.channel().name())
                                .param("kind", message.kind().name())
                                .param("reference", message.reference())
                                .param("subject", message.subject())
                                .param("text", message.text())
                                .param("html", message.html())
                                .param(
                                        "attachmentName",
                                        message.attachment() == null
                                                ? null
                                                : message.attachment().name())
                                .param(
                                        "attachmentType",
                                        message.attachment() == null
                                                ? null
                                                : message.attachment().contentType())
                                .param(
                                        "attachment",
                                        message.attachment() == null
                                                ? null
                                                : message.attachment().content())
                                .param("notBefore", notBefore.atOffset(ZoneOffset.UTC))
                                .param("now", now.atOffset(ZoneOffset.UTC))
                                .update()
                        == 1);
        if (!added) {
            log.debug("Message {} ({}) already queued", message.reference(), message.kind());
        }
        return added;
    }
}
