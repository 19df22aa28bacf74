package org.creneau.booking.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.CoveredAppointments;
import org.creneau.booking.CoveredAppointments.Covered;
import org.creneau.booking.CoveredAppointments.Preview;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Resource;
import org.creneau.platform.Page;
import org.creneau.platform.TimeParameter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Before adding an absence, the appointments it would cancel: the same answer the settings page shows
 * before asking to confirm. {@link CoveredAppointments} checks the right and reads; this maps HTTP.
 */
@RestController
class AbsencePreviewController {

    private final AccessPolicy policy;
    private final CoveredAppointments covered;

    AbsencePreviewController(AccessPolicy policy, CoveredAppointments covered) {
        this.policy = policy;
        this.covered = covered;
    }

    record CoveredView(
            UUID id,
            AppointmentStatus status,
            UUID siteId,
            UUID motiveId,
            UUID orgPatientId,
            String patientFirstName,
            String patientLastName,
            Instant start,
            Instant end) {
        static CoveredView of(Covered c) {
            return new CoveredView(
                    c.id(),
                    c.status(),
                    c.siteId(),
                    c.motiveId(),
                    c.orgPatientId(),
                    c.patientFirstName(),
                    c.patientLastName(),
                    c.start(),
                    c.end());
        }
    }

    /** The first {@link CoveredAppointments#MAX_LISTED} in time order; {@code page.totalItems} counts them all. */
    @Journaled(purpose = "absence preview", resource = Resource.APPOINTMENT)
    @GetMapping("/api/v1/staff/agendas/{practitionerId}/absences/preview")
    Page<CoveredView> preview(
            @PathVariable UUID practitionerId, @RequestParam OffsetDateTime from, @RequestParam OffsetDateTime to) {
        Instant start = TimeParameter.requireInRange("from", from.toInstant());
        Instant end = TimeParameter.requireInRange("to", to.toInstant());
        Preview preview = covered.coveredBy(policy.requireStaff(), practitionerId, start, end);
        return new Page<>(
                preview.appointments().stream().map(CoveredView::of).toList(),
                new Page.Info(0, CoveredAppointments.MAX_LISTED, preview.total()));
    }
}
