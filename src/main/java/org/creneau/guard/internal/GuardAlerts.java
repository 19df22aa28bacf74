package org.creneau.guard.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The guard's alerts as admins read them, for the JSON API and the admin page alike: an
 * organization's in its tenant scope, or every organization's through the platform's function.
 * Callers check who may read which first.
 */
@Component
class GuardAlerts {

    record Alert(
            UUID id,
            UUID organizationId,
            UUID appId,
            UUID grantId,
            String signal,
            boolean severe,
            String detail,
            Instant raisedAt,
            long journalFrozenTo,
            boolean contained) {}

    private final TenantScope scope;
    private final JdbcClient jdbc;

    GuardAlerts(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /** The alerts of the admin's organization, newest first. */
    List<Alert> ofOrganization(Caller.Staff admin, Paging paging) {
        return scope.read(
                admin,
                () -> jdbc.sql("SELECT * FROM guard_alert ORDER BY raised_at DESC, id LIMIT :limit OFFSET :offset")
                        .param("limit", paging.size())
                        .param("offset", paging.offset())
                        .query((rs, i) -> alert(rs))
                        .list());
    }

    /** Every organization's alerts, newest first: for platform admins only. */
    List<Alert> all(Paging paging) {
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
                rs.getLong("journal_frozen_to"),
                rs.getBoolean("contained"));
    }
}
