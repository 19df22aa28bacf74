package org.creneau.notifications.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private static final int ROWS = 500;

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

    /**
     * Queues the messages in one transaction, a multi-row statement for each {@value #ROWS} of them
     * (a reminder run's batch, not a statement each); returns how many were new.
     */
    int enqueueAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        return scope.write(Caller.ANONYMOUS, () -> {
            int added = 0;
            for (int from = 0; from < messages.size(); from += ROWS) {
                added += insert(messages.subList(from, Math.min(messages.size(), from + ROWS)), now);
            }
            return added;
        });
    }

    private int insert(List<Message> rows, Instant now) {
        StringBuilder sql = new StringBuilder("""
                INSERT INTO message (id, event_key, recipient, channel, kind, reference, subject, body_text, body_html,
                                     attachment_name, attachment_type, attachment, next_attempt_at, created_at)
                VALUES
                """);
        Map<String, Object> params = new HashMap<>();
        params.put("now", now.atOffset(ZoneOffset.UTC));
        for (int i = 0; i < rows.size(); i++) {
            Message m = rows.get(i);
            sql.append(i == 0 ? "" : ",\n")
                    .append("(:id")
                    .append(i)
                    .append(", :key")
                    .append(i)
                    .append(", :to")
                    .append(i)
                    .append(", :channel")
                    .append(i)
                    .append(", :kind")
                    .append(i)
                    .append(", :ref")
                    .append(i)
                    .append(", :subject")
                    .append(i)
                    .append(", :text")
                    .append(i)
                    .append(", :html")
                    .append(i)
                    .append(", :fileName")
                    .append(i)
                    .append(", :fileType")
                    .append(i)
                    .append(", :file")
                    .append(i)
                    .append(", :now, :now)");
            params.put("id" + i, UUID.randomUUID());
            params.put("key" + i, m.eventKey());
            params.put("to" + i, m.recipient());
            params.put("channel" + i, m.channel().name());
            params.put("kind" + i, m.kind().name());
            params.put("ref" + i, m.reference());
            params.put("subject" + i, m.subject());
            params.put("text" + i, m.text());
            params.put("html" + i, m.html());
            params.put(
                    "fileName" + i,
                    m.attachment() == null ? null : m.attachment().name());
            params.put(
                    "fileType" + i,
                    m.attachment() == null ? null : m.attachment().contentType());
            params.put(
                    "file" + i, m.attachment() == null ? null : m.attachment().content());
        }
        sql.append("\nON CONFLICT ON CONSTRAINT message_once DO NOTHING");
        return jdbc.sql(sql.toString()).params(params).update();
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
