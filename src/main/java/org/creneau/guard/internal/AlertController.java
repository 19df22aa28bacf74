package org.creneau.guard.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The guard's alerts: an organization's admin sees the organization's, the platform's admins see
 * all. Identifiers, the signal and the frozen journal position; never patient data.
 */
@RestController
class AlertController {

    record Alert(
            UUID id,
            UUID organizationId,
            UUID appId,
            UUID grantId,
            String signal,
            boolean severe,
            String detail,
            Instant raisedAt,
            long journalFrozenTo) {}

    private final AccessPolicy policy;
    private final TenantScope scope;
    private final JdbcClient jdbc;

    AlertController(AccessPolicy policy, TenantScope scope, JdbcClient jdbc) {
        this.policy = policy;
        this.scope = scope;
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/staff/guard-alerts")
    List<Alert> ofOrganization(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Paging paging = Paging.of(page, size);
        return scope.read(
                admin,
                () -> jdbc.sql("SELECT * FROM guard_alert ORDER BY raised_at DESC, id LIMIT :limit OFFSET :offset")
                        .param("limit", paging.size())
                        .param("offset", paging.offset())
                        .query((rs, i) -> alert(rs))
                        .list());
    }

    @GetMapping("/api/v1/admin/guard-alerts")
    List<Alert> all(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        policy.requirePlatformAdmin();
        Paging paging = Paging.of(page, size);
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT * FROM guard_alerts_all(:limit, :offset)")
                        .param("limit", paging.size())
                        .param("offset", paging.offset())
                        .query((rs, i) -> alert(rs))
                        .list());
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        return new Alert(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("app_id", UUID.class),
                rs.getObject("grant_id", UUID.class),
                rs.getString("signal"),
                rs.getBoolean("severe"),
                rs.getString("detail"),
                rs.getObject("raised_at", OffsetDateTime.class).toInstant(),
                rs.getLong("journal_frozen_to"));
    }
}
