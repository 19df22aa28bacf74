package org.creneau.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.TimeWindow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reads of appointments for other modules: by id, by a connected app's identifier, and over a
 * window page by page (keyset on start and id), optionally by last change for a sync. Each read runs
 * in the caller's {@link TenantScope}: row-level security narrows it to the caller's organization
 * and, for an app, to its grant's agendas, and hides decoys from all but the app's guarded reads.
 */
@Service
public class Appointments {

    private final TenantScope scope;
    private final JdbcClient jdbc;

    Appointments(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /** One appointment, empty when absent or not the caller's to see. */
    public Optional<AppointmentView> byId(Caller caller, UUID id) {
        return scope.read(
                caller,
                () -> jdbc.sql(SELECT + " WHERE a.id = :id")
                        .param("id", id)
                        .query((rs, i) -> view(rs))
                        .optional());
    }

    /**
     * The appointments of these ids the caller may see, in one read (an investigation's extract: what an
     * actor was shown), keyed by id.
     */
    public Map<UUID, AppointmentView> byIds(Caller caller, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, AppointmentView> found = new HashMap<>();
        scope.read(
                        caller,
                        () -> jdbc.sql(SELECT + " WHERE a.id = ANY (:ids)")
                                .param("ids", ids.stream().distinct().toArray(UUID[]::new))
                                .query((rs, i) -> view(rs))
                                .list())
                .forEach(a -> found.put(a.id(), a));
        return found;
    }

    /** The appointments carrying a connected app's own identifier (at most one per organization). */
    public List<AppointmentView> byAppIdentifier(Caller caller, ConnectedAppBookings.AppIdentifier identifier) {
        return scope.read(
                caller,
                () -> jdbc.sql(SELECT + " WHERE a.app_identifier_system = :system AND a.app_identifier_value = :value")
                        .param("system", identifier.system())
                        .param("value", identifier.value())
                        .query((rs, i) -> view(rs))
                        .list());
    }

    /** A bound of the last change: the time, and whether an appointment changed exactly then is in. */
    public record ChangedBound(Instant at, boolean inclusive) {}

    /** Where the previous page ended: the start and id of its last appointment. */
    public record After(Instant start, UUID id) {}

    /**
     * A window search. Each non-null filter narrows; the actor lists are OR-ed together (an
     * appointment of one of these agendas, at one of these sites or of one of these patient-file
     * entries). Lapsed holds are left out unless {@code withExpired} (a sync must learn they are gone).
     *
     * @param window the start of the appointments, [from, to)
     * @param actors null: any agenda, site and patient
     * @param statuses null: any status
     */
    public record WindowQuery(
            TimeWindow window,
            Actors actors,
            Set<AppointmentStatus> statuses,
            ChangedBound changedFrom,
            ChangedBound changedTo,
            boolean withExpired,
            After after,
            int limit) {}

    /** Agendas, sites and patient-file entries, any of which an appointment may involve. */
    public record Actors(List<UUID> practitioners, List<UUID> sites, List<UUID> patients) {}

    /** A page of the window, in (start, id) order, at most {@code limit} appointments. */
    public List<AppointmentView> inWindow(Caller caller, WindowQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(query, params, true);
        return scope.read(
                caller,
                () -> jdbc.sql(SELECT + where + " ORDER BY a.start_at, a.id LIMIT :limit")
                        .params(params)
                        .param("limit", query.limit())
                        .query((rs, i) -> view(rs))
                        .list());
    }

    /** How many appointments the window holds for {@code caller}, every page together ({@code after} ignored). */
    public long countInWindow(Caller caller, WindowQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(query, params, false);
        return scope.read(
                caller,
                () -> jdbc.sql("SELECT count(*) FROM appointment a" + where)
                        .params(params)
                        .query(Long.class)
                        .single());
    }

    private static String where(WindowQuery query, Map<String, Object> params, boolean fromAfter) {
        StringBuilder where = new StringBuilder(" WHERE a.start_at >= :from AND a.start_at < :to");
        params.put("from", utc(query.window().from()));
        params.put("to", utc(query.window().to()));
        if (!query.withExpired()) {
            where.append(" AND a.status <> 'EXPIRED'");
        }
        if (query.actors() != null) {
            where.append(" AND (a.practitioner_id = ANY (:actorPractitioners) OR a.site_id = ANY (:actorSites)"
                    + " OR a.org_patient_id = ANY (:actorPatients))");
            params.put("actorPractitioners", query.actors().practitioners().toArray(UUID[]::new));
            params.put("actorSites", query.actors().sites().toArray(UUID[]::new));
            params.put("actorPatients", query.actors().patients().toArray(UUID[]::new));
        }
        if (query.statuses() != null) {
            where.append(" AND a.status = ANY (:statuses)");
            params.put(
                    "statuses",
                    query.statuses().stream().map(AppointmentStatus::name).toArray(String[]::new));
        }
        if (query.changedFrom() != null) {
            where.append(" AND a.updated_at ")
                    .append(query.changedFrom().inclusive() ? ">=" : ">")
                    .append(" :changedFrom");
            params.put("changedFrom", utc(query.changedFrom().at()));
        }
        if (query.changedTo() != null) {
            where.append(" AND a.updated_at ")
                    .append(query.changedTo().inclusive() ? "<=" : "<")
                    .append(" :changedTo");
            params.put("changedTo", utc(query.changedTo().at()));
        }
        if (fromAfter && query.after() != null) {
            where.append(" AND (a.start_at, a.id) > (:afterStart, :afterId)");
            params.put("afterStart", utc(query.after().start()));
            params.put("afterId", query.after().id());
        }
        return where.toString();
    }

    private static final String SELECT = """
            SELECT a.id, a.organization_id, a.status, a.start_at, a.end_at, a.practitioner_id, a.site_id, a.org_patient_id,
                   a.cancel_reason, a.version, a.updated_at, a.app_identifier_system, a.app_identifier_value,
                   a.motive_id
              FROM appointment a
            """;

    /** One row of {@link #SELECT}'s columns (or a history snapshot's) as other modules read it. */
    static AppointmentView view(ResultSet rs) throws SQLException {
        String identifierValue = rs.getString("app_identifier_value");
        return new AppointmentView(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                AppointmentStatus.valueOf(rs.getString("status")),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                rs.getObject("practitioner_id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("org_patient_id", UUID.class),
                rs.getString("cancel_reason"),
                rs.getInt("version"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                identifierValue == null
                        ? null
                        : new ConnectedAppBookings.AppIdentifier(
                                rs.getString("app_identifier_system"), identifierValue),
                rs.getObject("motive_id", UUID.class));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
