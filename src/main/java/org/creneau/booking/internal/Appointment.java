package org.creneau.booking.internal;

import java.time.Instant;
import java.util.UUID;
import org.creneau.booking.AppointmentStatus;

/** One appointment row as the booking module reads it. */
public record Appointment(
        UUID id,
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
        AppointmentStatus status,
        Instant holdExpiresAt,
        String cancelReason,
        int version) {}
