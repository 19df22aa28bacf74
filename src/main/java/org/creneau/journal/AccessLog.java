package org.creneau.journal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A patient's access log: who accessed the appointments of the account's people, newest first
 * (practice staff by role, connected apps by name, the platform), never the patient's own reads.
 * The JSON API and the page read it here.
 */
@Service
public class AccessLog {

    private final TenantScope scope;
    private final JdbcClient jdbc;

    AccessLog(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /** Who accessed: the staff of a practice, a connected app, or the platform itself. */
    public enum Who {
        PRACTICE_STAFF,
        CONNECTED_APP,
        PLATFORM
    }

    /**
     * One access: {@code role} is the staff member's role (or APP), {@code app} names the connected
     * app when one accessed (else null), {@code purpose} is the one its handler declared.
     */
    public record Access(Instant at, Who who, String role, String app, UUID organizationId, String purpose) {}

    public Page<Access> of(Caller.Patient me, Paging paging) {
        record Row(Access access, long total) {}
        List<Row> rows = scope.read(
                me,
                () -> jdbc.sql("""
                                SELECT j.*, app.name AS app_name
                                  FROM journal_accesses_of_account(:limit, :offset) WITH ORDINALITY j
                                  LEFT JOIN connected_app app ON j.actor_kind = 'APP' AND app.id = j.actor_id
                                 ORDER BY j.ordinality
                                """)
                        .param("limit", paging.size())
                        .param("offset", paging.offset())
                        .query((rs, i) -> new Row(
                                new Access(
                                        rs.getObject("recorded_at", OffsetDateTime.class)
                                                .toInstant(),
                                        switch (rs.getString("actor_kind")) {
                                            case "APP" -> Who.CONNECTED_APP;
                                            case "PLATFORM" -> Who.PLATFORM;
                                            default -> Who.PRACTICE_STAFF;
                                        },
                                        rs.getString("actor_role"),
                                        rs.getString("app_name"),
                                        rs.getObject("organization_id", UUID.class),
                                        rs.getString("purpose")),
                                rs.getLong("total")))
                        .list());
        return Page.of(
                rows.stream().map(Row::access).toList(),
                paging,
                rows.isEmpty() ? 0 : rows.get(0).total());
    }
}
