package org.creneau.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.patients.OrgPatients;
import org.creneau.platform.InvalidInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The appointments an absence would cancel, before it is added: the same rows the booking module
 * cancels when the absence comes ({@link #LIVE_OVERLAPPING}), read without changing anything. Seen
 * by staff who may change the agenda's settings; the patients' names only by those who may also
 * see its appointments.
 */
@Service
public class CoveredAppointments {

    /**
     * The live appointments of an agenda overlapping [:from, :to): what an absence cancels. Shared with
     * the cancellation itself, so that the preview and the change can never disagree.
     */
    public static final String LIVE_OVERLAPPING = """
            practitioner_id = :p AND start_at < :to AND end_at > :from AND status IN ('HELD', 'BOOKED')
            """;

    /** At most this many are listed; the count covers them all. */
    public static final int MAX_LISTED = 200;

    /** An absence lasts at most a year (and a day, for a leap year). */
    private static final Duration LONGEST = Duration.ofDays(366);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final AgendaRights rights;
    private final OrgPatients orgPatients;

    CoveredAppointments(JdbcClient jdbc, TenantScope scope, AgendaRights rights, OrgPatients orgPatients) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.rights = rights;
        this.orgPatients = orgPatients;
    }

    /**
     * One appointment the absence would cancel.
     *
     * @param patientFirstName null when the caller may not see the agenda's appointments
     */
    public record Covered(
            UUID id,
            UUID siteId,
            UUID motiveId,
            UUID orgPatientId,
            String patientFirstName,
            String patientLastName,
            AppointmentStatus status,
            Instant start,
            Instant end) {}

    /** What an absence over [from, to) would cancel: the first {@link #MAX_LISTED} in time order, and how many in all. */
    public record Preview(List<Covered> appointments, long total, boolean namesShown) {}

    /** Needs the "manage agenda settings" right on the agenda, like adding the absence (else not found). */
    public Preview coveredBy(Caller.Staff staff, UUID practitionerId, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new InvalidInputException("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new InvalidInputException("to", "an absence lasts at most a year");
        }
        return scope.read(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            boolean names = rights.rightsOf(staff.accountId(), practitionerId).contains(AgendaRight.VIEW_APPOINTMENTS);
            List<Row> rows = jdbc.sql("SELECT id, site_id, motive_id, org_patient_id, status, start_at, end_at"
                            + " FROM appointment WHERE " + LIVE_OVERLAPPING + " ORDER BY start_at, id LIMIT :limit")
                    .param("p", practitionerId)
                    .param("from", utc(from))
                    .param("to", utc(to))
                    .param("limit", MAX_LISTED)
                    .query((rs, i) -> row(rs))
                    .list();
            long total = rows.size() < MAX_LISTED
                    ? rows.size()
                    : jdbc.sql("SELECT count(*) FROM appointment WHERE " + LIVE_OVERLAPPING)
                            .param("p", practitionerId)
                            .param("from", utc(from))
                            .param("to", utc(to))
                            .query(Long.class)
                            .single();
            Map<UUID, OrgPatients.OrgPatient> patients = names
                    ? orgPatients.byIds(rows.stream()
                            .map(Row::orgPatientId)
                            .filter(Objects::nonNull)
                            .toList())
                    : Map.of();
            List<Covered> covered = rows.stream()
                    .map(r -> {
                        OrgPatients.OrgPatient p = r.orgPatientId() == null ? null : patients.get(r.orgPatientId());
                        return new Covered(
                                r.id(),
                                r.siteId(),
                                r.motiveId(),
                                r.orgPatientId(),
                                p == null ? null : p.firstName(),
                                p == null ? null : p.lastName(),
                                r.status(),
                                r.start(),
                                r.end());
                    })
                    .toList();
            return new Preview(covered, total, names);
        });
    }

    private record Row(
            UUID id,
            UUID siteId,
            UUID motiveId,
            UUID orgPatientId,
            AppointmentStatus status,
            Instant start,
            Instant end) {}

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("motive_id", UUID.class),
                rs.getObject("org_patient_id", UUID.class),
                AppointmentStatus.valueOf(rs.getString("status")),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
