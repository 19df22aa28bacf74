package org.creneau.booking;

import java.time.Instant;
import java.util.UUID;

/**
 * An appointment as other modules read it: its time, agenda, site, patient-file entry and status,
 * the version and last change a sync follows, the connected app's own identifier, if any, and its motive.
 *
 * @param orgPatientId the organization's patient-file entry; null for a decoy without one
 * @param identifier the app's own identifier of the booking; null when none was given
 * @param motiveId the visit motive (messages name it only where the organization chose so)
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
        ConnectedAppBookings.AppIdentifier identifier,
        UUID motiveId) {}
