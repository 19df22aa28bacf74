package org.creneau.booking;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The decoy appointments (canary records) of an organization, for the guard's canary keeper only:
 * row-level security lets no other caller write them, nor see them but an app reading through its
 * grant (V17), so these run inside the keeper's {@code TenantScope}, which the guard opens. The keeper
 * places them among an agenda's real appointments, in their shape, so that nothing tells them apart.
 */
@Service
public class DecoyAppointments {

    private final JdbcClient jdbc;

    DecoyAppointments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A decoy appointment to place; {@code bookedAt} and {@code updatedAt} are when it seems to have been. */
    public record NewDecoyAppointment(
            UUID organizationId,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            String specialtyCode,
            UUID orgPatientId,
            Instant start,
            Instant end,
            AppointmentStatus status,
            String cancelReason,
            String cancelledBy,
            Instant bookedAt,
            Instant updatedAt) {}

    /** An appointment of an agenda as the keeper lays decoys out among them: its shape, and whether it is one. */
    public record AgendaEntry(
            Instant start,
            Instant end,
            AppointmentStatus status,
            UUID siteId,
            UUID motiveId,
            String specialtyCode,
            String cancelReason,
            String cancelledBy,
            boolean decoy) {}

    /** The agenda's appointments, real and decoy, starting within [from, to), in time order. */
    public List<AgendaEntry> agenda(UUID organizationId, UUID practitionerId, Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT a.start_at, a.end_at, a.status, a.site_id, a.motive_id, a.specialty_code,
                               a.cancel_reason, a.cancelled_by, a.decoy
                          FROM appointment a
                         WHERE a.organization_id = :org AND a.practitioner_id = :practitioner
                           AND a.start_at >= :from AND a.start_at < :to
                         ORDER BY a.start_at, a.id
                        """)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("from", utc(from))
                .param("to", utc(to))
                .query((rs, i) -> new AgendaEntry(
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                        AppointmentStatus.valueOf(rs.getString("status")),
                        rs.getObject("site_id", UUID.class),
                        rs.getObject("motive_id", UUID.class),
                        rs.getString("specialty_code"),
                        rs.getString("cancel_reason"),
                        rs.getString("cancelled_by"),
                        rs.getBoolean("decoy")))
                .list();
    }

    /** When the agenda's latest decoy before {@code before} starts, if it has one. */
    public Optional<Instant> latestDecoy(UUID organizationId, UUID practitionerId, Instant before) {
        return jdbc.sql("""
                        SELECT max(a.start_at) FROM appointment a
                         WHERE a.organization_id = :org AND a.practitioner_id = :practitioner AND a.decoy
                           AND a.start_at < :before
                        """)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("before", utc(before))
                .query((rs, i) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
                .single()
                .map(OffsetDateTime::toInstant);
    }

    public void place(NewDecoyAppointment a) {
        jdbc.sql("""
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                               org_patient_id, start_at, end_at, status, cancel_reason, cancelled_by, created_at,
                               updated_at, decoy)
                        VALUES (:id, :org, :practitioner, :site, :motive, :specialty, :patient, :start, :end, :status,
                                :reason, :cancelledBy, :created, :updated, true)
                        """)
                .param("id", UUID.randomUUID())
                .param("org", a.organizationId())
                .param("practitioner", a.practitionerId())
                .param("site", a.siteId())
                .param("motive", a.motiveId())
                .param("specialty", a.specialtyCode())
                .param("patient", a.orgPatientId())
                .param("start", utc(a.start()))
                .param("end", utc(a.end()))
                .param("status", a.status().name())
                .param("reason", a.cancelReason(), java.sql.Types.VARCHAR)
                .param("cancelledBy", a.cancelledBy(), java.sql.Types.VARCHAR)
                .param("created", utc(a.bookedAt()))
                .param("updated", utc(a.updatedAt()))
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
