package org.creneau.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.RecordChange;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The history of appointments (V43: written by a trigger in the transaction of every change, with its
 * author from the transaction's settings): an appointment's versions as they were (FHIR {@code vread}
 * and {@code _history}), what changed in an organization between two times and by whom, and, for an
 * investigation, every change one actor made.
 */
@Service
public class AppointmentHistory {

    /** The most versions or changes one answer lists. */
    public static final int MAX_ROWS = 1000;

    private final TenantScope scope;
    private final JdbcClient jdbc;

    AppointmentHistory(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /**
     * The recorded versions of one appointment, newest first, as the caller may see them (the history
     * of its organization; the caller checks it may read the appointment itself). A version changed
     * twice in one transaction is listed once, as it was committed.
     */
    public List<AppointmentView> versions(Caller caller, UUID appointmentId) {
        List<AppointmentView> rows = scope.read(
                caller,
                () -> jdbc.sql(VERSIONS + " ORDER BY h.version DESC, h.id DESC LIMIT " + MAX_ROWS)
                        .param("id", appointmentId)
                        .query((rs, i) -> Appointments.view(rs))
                        .list());
        Map<Integer, AppointmentView> byVersion = new LinkedHashMap<>();
        rows.forEach(v -> byVersion.putIfAbsent(v.version(), v));
        return List.copyOf(byVersion.values());
    }

    /** One version of an appointment as it was committed; empty when not recorded or not the caller's. */
    public Optional<AppointmentView> version(Caller caller, UUID appointmentId, int version) {
        return scope.read(
                caller,
                () -> jdbc.sql(VERSIONS + " AND h.version = :version ORDER BY h.id DESC LIMIT 1")
                        .param("id", appointmentId)
                        .param("version", version)
                        .query((rs, i) -> Appointments.view(rs))
                        .optional());
    }

    /** What changed in the caller's organization in {@code [from, to)}, and by whom, oldest first. */
    public List<RecordChange> between(Caller caller, Instant from, Instant to) {
        return scope.read(
                caller,
                () -> jdbc.sql(CHANGES
                                + " WHERE h.changed_at >= :from AND h.changed_at < :to ORDER BY h.changed_at, h.id"
                                + " LIMIT " + MAX_ROWS)
                        .param("from", from.atOffset(ZoneOffset.UTC))
                        .param("to", to.atOffset(ZoneOffset.UTC))
                        .query((rs, i) -> change(rs))
                        .list());
    }

    /**
     * Every change made by one actor (an account, or an app: its id) in {@code [from, to)}, in every
     * organization, oldest first. For an investigation: {@code reader} is a connection of the database
     * owner, which sees across organizations, as the journal's verification does.
     */
    public List<RecordChange> changedBy(DataSource reader, UUID actorId, Instant from, Instant to) {
        return JdbcClient.create(reader)
                .sql(CHANGES + " WHERE h.actor_id = :actor AND h.changed_at >= :from AND h.changed_at < :to"
                        + " ORDER BY h.changed_at, h.id")
                .param("actor", actorId)
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, i) -> change(rs))
                .list();
    }

    private static final String VERSIONS = """
            SELECT a.id, a.organization_id, a.status, a.start_at, a.end_at, a.practitioner_id, a.site_id,
                   a.org_patient_id, a.cancel_reason, h.version, a.updated_at, a.app_identifier_system,
                   a.app_identifier_value, a.motive_id
              FROM appointment_history h, jsonb_populate_record(NULL::appointment, h.snapshot) a
             WHERE h.appointment_id = :id
            """;

    private static final String CHANGES = """
            SELECT h.appointment_id, h.organization_id, h.changed_at, h.operation, h.actor_kind, h.actor_id,
                   h.grant_id, h.fields, h.before::text AS before_json, h.after::text AS after_json
              FROM appointment_history h
            """;

    private static RecordChange change(ResultSet rs) throws SQLException {
        return new RecordChange(
                "Appointment",
                rs.getObject("appointment_id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("changed_at", OffsetDateTime.class).toInstant(),
                rs.getString("operation"),
                rs.getString("actor_kind"),
                rs.getObject("actor_id", UUID.class),
                rs.getObject("grant_id", UUID.class),
                Arrays.asList((String[]) rs.getArray("fields").getArray()),
                rs.getString("before_json"),
                rs.getString("after_json"));
    }
}
