package org.creneau.journal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.journal.AccessRecord.ActorKind;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A patient's access log: who accessed the appointments of the account's people, newest first
 * (practice staff by role, connected apps by name, the platform), never the patient's own reads.
 * The JSON API and the page read it here. The journal says who; the registry names the apps
 * ({@link AppNames}).
 */
@Service
public class AccessLog {

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final AppNames appNames;

    AccessLog(TenantScope scope, JdbcClient jdbc, AppNames appNames) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.appNames = appNames;
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

    /** The accesses to the appointments booked by the patient's account, one page. */
    public Page<Access> of(Caller.Patient me, Paging paging) {
        record Row(Instant at, ActorKind kind, UUID actorId, String role, UUID organizationId, String purpose) {}
        long[] total = {0};
        List<Row> rows = scope.read(
                me,
                () -> jdbc.sql("SELECT * FROM journal_accesses_of_account(:limit, :offset)")
                        .param("limit", paging.size())
                        .param("offset", paging.offset())
                        .query((rs, i) -> {
                            total[0] = rs.getLong("total");
                            return new Row(
                                    rs.getObject("recorded_at", OffsetDateTime.class)
                                            .toInstant(),
                                    ActorKind.valueOf(rs.getString("actor_kind")),
                                    rs.getObject("actor_id", UUID.class),
                                    rs.getString("actor_role"),
                                    rs.getObject("organization_id", UUID.class),
                                    rs.getString("purpose"));
                        })
                        .list());
        Map<UUID, String> names = appNames.of(rows.stream()
                .filter(r -> r.kind() == ActorKind.APP)
                .map(Row::actorId)
                .toList());
        return Page.of(
                rows.stream()
                        .map(r -> new Access(
                                r.at(),
                                switch (r.kind()) {
                                    case APP -> Who.CONNECTED_APP;
                                    case PLATFORM -> Who.PLATFORM;
                                    case ACCOUNT -> Who.PRACTICE_STAFF;
                                },
                                r.role(),
                                r.kind() == ActorKind.APP ? names.get(r.actorId()) : null,
                                r.organizationId(),
                                r.purpose()))
                        .toList(),
                paging,
                total[0]);
    }
}
