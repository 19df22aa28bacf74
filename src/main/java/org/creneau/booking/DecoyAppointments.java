package org.creneau.booking;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The decoy appointments (canary records) of an organization, for the guard's canary keeper only:
 * row-level security lets no other caller write them, nor see them but an app reading through its
 * grant (V17), so these run inside the keeper's {@code TenantScope}, which the guard opens. They are
 * booked at night, far from today, so no legitimate search meets them.
 */
@Service
public class DecoyAppointments {

    private final JdbcClient jdbc;

    DecoyAppointments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A decoy appointment to place; {@code bookedAt} is when it seems to have been booked. */
    public record NewDecoyAppointment(
            UUID organizationId,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            String specialtyCode,
            UUID orgPatientId,
            Instant start,
            Instant end,
            Instant bookedAt) {}

    /** A decoy appointment in place: its time, and the site whose zone it is laid out in. */
    public record PlacedDecoy(UUID id, UUID siteId, Instant start, Instant end) {}

    /** Which of these patient-file entries have a decoy appointment. */
    public Set<UUID> patientsWithDecoys(UUID organizationId, Collection<UUID> orgPatientIds) {
        return jdbc
                .sql("""
                        SELECT DISTINCT a.org_patient_id FROM appointment a
                         WHERE a.organization_id = :org AND a.decoy AND a.org_patient_id = ANY (:patients)
                        """)
                .param("org", organizationId)
                .param("patients", orgPatientIds.toArray(UUID[]::new))
                .query(UUID.class)
                .list()
                .stream()
                .collect(Collectors.toSet());
    }

    public void place(NewDecoyAppointment a) {
        jdbc.sql("""
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                               org_patient_id, start_at, end_at, status, created_at, updated_at, decoy)
                        VALUES (:id, :org, :practitioner, :site, :motive, :specialty, :patient, :start, :end, 'BOOKED',
                                :created, :created, true)
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
                .param("created", utc(a.bookedAt()))
                .update();
    }

    /** The organization's decoy appointments starting within (from, to). */
    public List<PlacedDecoy> startingBetween(UUID organizationId, Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT a.id, a.site_id, a.start_at, a.end_at FROM appointment a
                         WHERE a.organization_id = :org AND a.decoy AND a.start_at > :from AND a.start_at < :to
                        """)
                .param("org", organizationId)
                .param("from", utc(from))
                .param("to", utc(to))
                .query((rs, i) -> new PlacedDecoy(
                        rs.getObject("id", UUID.class),
                        rs.getObject("site_id", UUID.class),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Moves a decoy appointment to another time. */
    public void move(UUID id, Instant start, Instant end, Instant now) {
        jdbc.sql("""
                        UPDATE appointment SET start_at = :start, end_at = :end, updated_at = :now, version = version + 1
                         WHERE id = :id AND decoy
                        """)
                .param("id", id)
                .param("start", utc(start))
                .param("end", utc(end))
                .param("now", utc(now))
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
