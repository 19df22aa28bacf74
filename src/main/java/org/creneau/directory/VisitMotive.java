package org.creneau.directory;

import java.time.Duration;
import java.util.UUID;

/** A reason for a visit with its duration and booking conditions; rules already resolved. */
public record VisitMotive(
        UUID id,
        UUID organizationId,
        UUID practitionerId,
        String label,
        Duration duration,
        boolean onlineBookable,
        boolean newPatientsAllowed,
        String instructions,
        BookingRules rules) {}
