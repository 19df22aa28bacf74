package org.creneau.booking;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.creneau.platform.InvalidInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Appointments that were booked before they reached Créneau: a practice's agenda brought from its
 * former software, or the demo's history. They are recorded as they stand, past ones included,
 * without the booking rules a patient's booking obeys (notice, horizon, cut-off). Runs inside the
 * organization's {@code TenantScope}; the exclusion constraint still refuses an overlap.
 */
@Service
public class AppointmentImport {

    private final JdbcClient jdbc;

    AppointmentImport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A booked appointment to record, for a patient of the organization's file. */
    public record ImportedAppointment(
            UUID organizationId,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            String specialtyCode,
            UUID patientId,
            UUID orgPatientId,
            UUID bookedByAccountId,
            Instant start,
            Instant end,
            Instant bookedAt) {

        public ImportedAppointment {
            if (!end.isAfter(start)) {
                throw new InvalidInputException("end", "must be after start");
            }
        }
    }

    /** Records a booked appointment; returns its id. */
    public UUID booked(ImportedAppointment a) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id,
                               specialty_code, patient_id, org_patient_id, booked_by_account_id, start_at, end_at,
                               status, created_at, updated_at)
                        VALUES (:id, :org, :practitioner, :site, :motive, :specialty, :patient, :orgPatient,
                                :account, :start, :end, 'BOOKED', :bookedAt, :bookedAt)
                        """)
                .param("id", id)
                .param("org", a.organizationId())
                .param("practitioner", a.practitionerId())
                .param("site", a.siteId())
                .param("motive", a.motiveId())
                .param("specialty", a.specialtyCode())
                .param("patient", a.patientId())
                .param("orgPatient", a.orgPatientId())
                .param("account", a.bookedByAccountId())
                .param("start", utc(a.start()))
                .param("end", utc(a.end()))
                .param("bookedAt", utc(a.bookedAt()))
                .update();
        return id;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
