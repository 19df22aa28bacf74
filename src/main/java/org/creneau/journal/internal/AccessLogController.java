package org.creneau.journal.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A patient sees who accessed their appointments and when: practice staff by role, apps by name. */
@RestController
class AccessLogController {

    private final AccessPolicy policy;
    private final TenantScope scope;
    private final JdbcClient jdbc;

    AccessLogController(AccessPolicy policy, TenantScope scope, JdbcClient jdbc) {
        this.policy = policy;
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /** {@code app} names the connected app when one accessed (else null). */
    record Access(Instant at, String who, String role, String app, UUID organizationId, String purpose) {}

    @GetMapping("/api/v1/me/access-log")
    Page<Access> accesses(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        Caller.Patient me = policy.requirePatient();
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
                                            case "APP" -> "CONNECTED_APP";
                                            case "PLATFORM" -> "PLATFORM";
                                            default -> "PRACTICE_STAFF";
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
