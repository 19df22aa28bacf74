package org.creneau.booking.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.CoveredAppointments;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of appointments. Called inside a {@code TenantScope}: row-level security already limits
 * every statement to the caller's organization or account, and hides decoys (canary records, V12,
 * V17): they are nobody's appointment, so nothing here shows, counts or changes them.
 */
@Repository
class AppointmentRepository {

    private static final String COLUMNS = """
            id, organization_id, practitioner_id, site_id, motive_id, specialty_code, patient_id, org_patient_id,
            booked_by_account_id, start_at, end_at, status, hold_expires_at, cancel_reason, version
            """;

    private final JdbcClient jdbc;

    AppointmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a new appointment, HELD (with its expiry) or BOOKED. */
    void insert(Appointment a, Instant now) {
        insert(a, null, null, now);
    }

    /**
     * Inserts a new appointment with its connected app's identifier (both null: none), unique in the
     * organization. In the same statement, not an update after it: a second version of the row would
     * be checked against the exclusion constraint again, while other bookings wait on this one.
     */
    void insert(Appointment a, String identifierSystem, String identifierValue, Instant now) {
        jdbc.sql("""
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                               patient_id, org_patient_id, booked_by_account_id, start_at, end_at, status,
                               hold_expires_at, created_at, updated_at, app_identifier_system, app_identifier_value)
                        VALUES (:id, :org, :practitioner, :site, :motive, :specialty, :patient, :orgPatient, :account,
                                :start, :end, :status, :expires, :now, :now, :identifierSystem, :identifierValue)
                        """)
                .param("id", a.id())
                .param("org", a.organizationId())
                .param("practitioner", a.practitionerId())
                .param("site", a.siteId())
                .param("motive", a.motiveId())
                .param("specialty", a.specialtyCode())
                .param("patient", a.patientId(), java.sql.Types.OTHER)
                .param("orgPatient", a.orgPatientId(), java.sql.Types.OTHER)
                .param("account", a.bookedByAccountId(), java.sql.Types.OTHER)
                .param("status", a.status().name())
                .param("start", utc(a.start()))
                .param("end", utc(a.end()))
                .param("expires", utc(a.holdExpiresAt()))
                .param("now", utc(now))
                .param("identifierSystem", identifierSystem, java.sql.Types.VARCHAR)
                .param("identifierValue", identifierValue, java.sql.Types.VARCHAR)
                .update();
    }

    /** The appointment, locked for change; empty when absent or not the caller's. */
    Optional<Appointment> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM appointment WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query((rs, i) -> map(rs))
                .optional();
    }

    Optional<Appointment> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM appointment WHERE id = :id")
                .param("id", id)
                .query((rs, i) -> map(rs))
                .optional();
    }

    void confirm(UUID id, Instant now) {
        jdbc.sql("""
                        UPDATE appointment SET status = 'BOOKED', hold_expires_at = NULL, updated_at = :now,
                               version = version + 1
                         WHERE id = :id AND status = 'HELD'
                        """).param("id", id).param("now", utc(now)).update();
    }

    /** The person a hold is for, and their file at the practice; only while it is held. */
    void changeHeldPerson(UUID id, UUID patientId, UUID orgPatientId, Instant now) {
        jdbc.sql("""
                        UPDATE appointment SET patient_id = :patient, org_patient_id = :orgPatient, updated_at = :now,
                               version = version + 1
                         WHERE id = :id AND status = 'HELD'
                        """)
                .param("id", id)
                .param("patient", patientId)
                .param("orgPatient", orgPatientId)
                .param("now", utc(now))
                .update();
    }

    void cancel(UUID id, String reason, String by, Instant now) {
        jdbc.sql("""
                        UPDATE appointment SET status = 'CANCELLED', hold_expires_at = NULL, cancel_reason = :reason,
                               cancelled_by = :by, updated_at = :now, version = version + 1
                         WHERE id = :id
                        """)
                .param("id", id)
                .param("reason", reason)
                .param("by", by)
                .param("now", utc(now))
                .update();
    }

    void move(UUID id, UUID siteId, Instant start, Instant end, Instant now) {
        jdbc.sql("""
                        UPDATE appointment SET site_id = :site, start_at = :start, end_at = :end, updated_at = :now,
                               version = version + 1
                         WHERE id = :id
                        """)
                .param("id", id)
                .param("site", siteId)
                .param("start", utc(start))
                .param("end", utc(end))
                .param("now", utc(now))
                .update();
    }

    void setStatus(UUID id, AppointmentStatus status, Instant now) {
        jdbc.sql("UPDATE appointment SET status = :status, updated_at = :now, version = version + 1 WHERE id = :id")
                .param("id", id)
                .param("status", status.name())
                .param("now", utc(now))
                .update();
    }

    /** An agenda's appointments over a window, in time order. */
    List<Appointment> agenda(UUID practitionerId, TimeWindow window, Paging paging) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM appointment
                        WHERE practitioner_id = :p AND start_at >= :from AND start_at < :to
                          AND status <> 'EXPIRED'
                        ORDER BY start_at, id
                        LIMIT :limit OFFSET :offset
                        """)
                .param("p", practitionerId)
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .param("limit", paging.size())
                .param("offset", paging.offset())
                .query((rs, i) -> map(rs))
                .list();
    }

    long countAgenda(UUID practitionerId, TimeWindow window) {
        return jdbc.sql("""
                        SELECT count(*) FROM appointment
                         WHERE practitioner_id = :p AND start_at >= :from AND start_at < :to AND status <> 'EXPIRED'
                        """)
                .param("p", practitionerId)
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .query(Long.class)
                .single();
    }

    /** The appointments of several agendas starting within a window, in time order: a desk's day or week. */
    List<Appointment> agendas(List<UUID> practitionerIds, TimeWindow window, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM appointment
                        WHERE practitioner_id = ANY (:p) AND start_at >= :from AND start_at < :to
                          AND status <> 'EXPIRED'
                        ORDER BY start_at, id
                        LIMIT :limit
                        """)
                .param("p", practitionerIds.toArray(UUID[]::new))
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .param("limit", limit)
                .query((rs, i) -> map(rs))
                .list();
    }

    /** How many appointments the agendas hold in the window and when the last of them changed. */
    record Stamp(long count, Instant lastChange) {}

    Stamp stamp(List<UUID> practitionerIds, TimeWindow window) {
        return jdbc.sql("""
                        SELECT count(*) AS n, max(updated_at) AS last FROM appointment
                         WHERE practitioner_id = ANY (:p) AND start_at >= :from AND start_at < :to
                        """)
                .param("p", practitionerIds.toArray(UUID[]::new))
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .query((rs, i) -> {
                    OffsetDateTime last = rs.getObject("last", OffsetDateTime.class);
                    return new Stamp(rs.getLong("n"), last == null ? null : last.toInstant());
                })
                .single();
    }

    /** Live appointments of an agenda overlapping a period, locked: those an absence cancels. */
    List<Appointment> liveOverlapping(UUID practitionerId, Instant from, Instant to) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM appointment WHERE " + CoveredAppointments.LIVE_OVERLAPPING
                        + " ORDER BY start_at FOR UPDATE")
                .param("p", practitionerId)
                .param("from", utc(from))
                .param("to", utc(to))
                .query((rs, i) -> map(rs))
                .list();
    }

    /** A person's appointments still to come that hold their time, for the anti-hoarding rules. */
    List<Appointment> openFutureOf(UUID patientId, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM appointment
                        WHERE patient_id = :patient AND start_at > :now
                          AND (status = 'BOOKED' OR (status = 'HELD' AND hold_expires_at > :now))
                        ORDER BY start_at
                        LIMIT 1000
                        """)
                .param("patient", patientId)
                .param("now", utc(now))
                .query((rs, i) -> map(rs))
                .list();
    }

    boolean hasSeen(UUID patientId, UUID practitionerId, Instant now) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM appointment WHERE patient_id = :patient
                               AND practitioner_id = :practitioner AND status = 'BOOKED' AND start_at < :now)
                        """)
                .param("patient", patientId)
                .param("practitioner", practitionerId)
                .param("now", utc(now))
                .query(Boolean.class)
                .single();
    }

    List<Appointment> bookedBy(UUID accountId, TimeWindow window, Paging paging) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM appointment
                        WHERE booked_by_account_id = :account AND start_at >= :from AND start_at < :to
                          AND status <> 'EXPIRED'
                        ORDER BY start_at, id
                        LIMIT :limit OFFSET :offset
                        """)
                .param("account", accountId)
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .param("limit", paging.size())
                .param("offset", paging.offset())
                .query((rs, i) -> map(rs))
                .list();
    }

    long countBookedBy(UUID accountId, TimeWindow window) {
        return jdbc.sql("""
                        SELECT count(*) FROM appointment
                         WHERE booked_by_account_id = :account AND start_at >= :from AND start_at < :to
                           AND status <> 'EXPIRED'
                        """)
                .param("account", accountId)
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .query(Long.class)
                .single();
    }

    /**
     * Serializes, until the transaction ends, every change that makes time busy on one agenda (a hold,
     * a booking, a move, a waiting-list offer). Taken before any other lock of the transaction (the
     * person's, rows'), so no transaction waits for an agenda while holding something another waits
     * for. Without it two bookings of overlapping times can each wait for the other inside the
     * exclusion constraint's check (GiST checks after inserting, so each sees the other's uncommitted
     * row), which PostgreSQL ends as a deadlock rather than a constraint violation.
     */
    void lockAgenda(UUID practitionerId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('agenda:' || :id, 0))")
                .param("id", practitionerId.toString())
                .query()
                .singleRow();
    }

    void lockPerson(UUID patientId) {
        // Anti-hoarding rules read then write: one booking at a time per person.
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('patient:' || :id, 0))")
                .param("id", patientId.toString())
                .query()
                .singleRow();
    }

    /**
     * {@link #lockAgenda}, then {@link #lockPerson} when a person is given, then
     * {@link #releaseExpiredHolds} of the agenda, in one statement: PostgreSQL evaluates a select
     * list in order, so the locks are taken in the same order as by the separate calls.
     *
     * @param patientId the person booking, or null when no person's lock is needed
     */
    void lockAgendaReleasingHolds(UUID practitionerId, UUID patientId, Instant now) {
        lockAgendaReleasingHolds(practitionerId, patientId, now, false);
    }

    /**
     * With {@code flushedLater}, the transaction's commit also stops waiting for the disk (set in the
     * same statement, no round trip of its own): for a transaction whose caller commits durably right
     * after it, before answering, which flushes this one's commit too (the log is written in order).
     */
    void lockAgendaReleasingHolds(UUID practitionerId, UUID patientId, Instant now, boolean flushedLater) {
        String person = patientId == null ? "" : ", pg_advisory_xact_lock(hashtextextended('patient:' || :patient, 0))";
        String unflushed = flushedLater ? ", set_config('synchronous_commit', 'off', true)" : "";
        JdbcClient.StatementSpec spec = jdbc.sql(
                        "SELECT pg_advisory_xact_lock(hashtextextended('agenda:' || :agenda, 0))" + person
                                + ", release_expired_holds(:practitioner, :now)" + unflushed)
                .param("agenda", practitionerId.toString())
                .param("practitioner", practitionerId)
                .param("now", utc(now));
        if (patientId != null) {
            spec = spec.param("patient", patientId.toString());
        }
        spec.query().singleRow();
    }

    int releaseExpiredHolds(UUID practitionerId, Instant now) {
        return jdbc.sql("SELECT release_expired_holds(:practitioner, :now)")
                .param("practitioner", practitionerId, java.sql.Types.OTHER)
                .param("now", utc(now))
                .query(Integer.class)
                .single();
    }

    private static Appointment map(ResultSet rs) throws SQLException {
        OffsetDateTime expires = rs.getObject("hold_expires_at", OffsetDateTime.class);
        return new Appointment(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("practitioner_id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("motive_id", UUID.class),
                rs.getString("specialty_code"),
                rs.getObject("patient_id", UUID.class),
                rs.getObject("org_patient_id", UUID.class),
                rs.getObject("booked_by_account_id", UUID.class),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                AppointmentStatus.valueOf(rs.getString("status")),
                expires == null ? null : expires.toInstant(),
                rs.getString("cancel_reason"),
                rs.getInt("version"));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
