package org.creneau.notifications.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.PhoneNumber;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SMS gateway of a platform with no SMS provider (the default in development): each SMS is
 * written to {@code sms_outbox}, which the platform admin reads at {@code /admin/messages} and
 * {@code GET /api/v1/admin/sms}. Keyed by the message's id, so an SMS handed over twice is kept once.
 */
class SmsOutbox implements SmsGateway {

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final String sender;

    SmsOutbox(JdbcClient jdbc, TenantScope scope, Clock clock, String sender) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.sender = sender;
    }

    /** One SMS as the platform admin reads it. */
    record Sms(UUID id, String recipient, String sender, String text, Instant createdAt) {}

    @Override
    public void send(UUID messageId, PhoneNumber to, String text) {
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                INSERT INTO sms_outbox (id, recipient, sender, body, created_at)
                                VALUES (:id, :to, :sender, :body, :now)
                                ON CONFLICT (id) DO NOTHING
                                """)
                        .param("id", messageId)
                        .param("to", to.e164())
                        .param("sender", sender)
                        .param("body", text)
                        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .update());
    }

    /** The SMS written, newest first. */
    Page<Sms> list(Paging paging) {
        return scope.read(Caller.ANONYMOUS, () -> {
            List<Sms> items = jdbc.sql("""
                            SELECT id, recipient, sender, body, created_at FROM sms_outbox
                             ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
                            """)
                    .param("limit", paging.size())
                    .param("offset", paging.offset())
                    .query((rs, i) -> new Sms(
                            rs.getObject("id", UUID.class),
                            rs.getString("recipient"),
                            rs.getString("sender"),
                            rs.getString("body"),
                            rs.getTimestamp("created_at").toInstant()))
                    .list();
            long total = jdbc.sql("SELECT count(*) FROM sms_outbox")
                    .query(Long.class)
                    .single();
            return Page.of(items, paging, total);
        });
    }
}
