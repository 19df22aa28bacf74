package org.creneau.booking;

import java.time.Instant;
import java.util.UUID;

/**
 * An appointment as other modules read it: its time, agenda, site, patient-file entry and status,
 * the version and last change a sync follows, and the connected app's own identifier, if any.
 *
 * @param orgPatientId the organization's patient-file entry; null for a decoy without one
 * @param identifier the app's own identifier of the booking; null when none was given
 */
public record AppointmentView(
        UUID id,
        UUID organizationId,
        AppointmentStatus status,
        Instant start,
        Instant end,
        UUID practitionerId,
        UUID siteId,
        UUID orgPatientId,
        String cancelReason,
        int version,
        Instant updatedAt,
        ConnectedAppBookings.AppIdentifier identifier) {}
