package org.creneau.journal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.journal.AccessRecord.ActorKind;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What the journal tells a patient about their appointments: who accessed them and when, newest
 * first, the patient's own accesses left out. Actors are named by kind, role and id only; naming an
 * app is the registry's business.
 */
@Service
public class AccessLog {

    private final TenantScope scope;
    private final JdbcClient jdbc;

    AccessLog(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /** One access: {@code actorId} is the app's id when {@code actorKind} is {@code APP}. */
    public record Access(
            Instant at, ActorKind actorKind, UUID actorId, String actorRole, UUID organizationId, String purpose) {}

    /** The accesses to the appointments booked by the patient's account, one page. */
    public Page<Access> of(Caller.Patient patient, Paging paging) {
        record Row(Access access, long total) {}
        List<Row> rows = scope.read(
                patient,
                () -> jdbc.sql("SELECT * FROM journal_accesses_of_account(:limit, :offset)")
                        .param("limit", paging.size())
                        .param("offset", paging.offset())
                        .query((rs, i) -> new Row(
                                new Access(
                                        rs.getObject("recorded_at", OffsetDateTime.class)
                                                .toInstant(),
                                        ActorKind.valueOf(rs.getString("actor_kind")),
                                        rs.getObject("actor_id", UUID.class),
                                        rs.getString("actor_role"),
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
