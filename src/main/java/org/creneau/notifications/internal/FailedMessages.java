package org.creneau.notifications.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The messages that failed for good, newest first, as the platform admin sees them: the recipient
 * masked, the kind, the reason and the attempts; never the content.
 */
@Component
class FailedMessages {

    private final JdbcClient jdbc;
    private final TenantScope scope;

    FailedMessages(JdbcClient jdbc, TenantScope scope) {
        this.jdbc = jdbc;
        this.scope = scope;
    }

    record FailedMessage(
            UUID id,
            String recipient,
            Message.Channel channel,
            String kind,
            String reference,
            String reason,
            int attempts,
            Instant createdAt,
            Instant failedAt) {}

    Page<FailedMessage> list(Paging paging) {
        return scope.read(Caller.ANONYMOUS, () -> {
            List<FailedMessage> items = jdbc.sql("""
                            SELECT id, recipient, channel, kind, reference, last_error, attempts, created_at,
                                   last_attempt_at
                              FROM message
                             WHERE status = 'FAILED'
                             ORDER BY created_at DESC, id
                             LIMIT :limit OFFSET :offset
                            """)
                    .param("limit", paging.size())
                    .param("offset", paging.offset())
                    .query((rs, i) -> new FailedMessage(
                            rs.getObject("id", UUID.class),
                            RecipientMask.of(rs.getString("recipient")),
                            Message.Channel.valueOf(rs.getString("channel")),
                            rs.getString("kind"),
                            rs.getString("reference"),
                            rs.getString("last_error"),
                            rs.getInt("attempts"),
                            rs.getTimestamp("created_at").toInstant(),
                            rs.getTimestamp("last_attempt_at").toInstant()))
                    .list();
            long total = jdbc.sql("SELECT count(*) FROM message WHERE status = 'FAILED'")
                    .query(Long.class)
                    .single();
            return Page.of(items, paging, total);
        });
    }
}
