package org.creneau.availability;

import java.time.Instant;
import java.util.UUID;

/**
 * An absence was added to an agenda. Published inside the transaction that adds it: the
 * appointments it covers are cancelled in that same transaction.
 *
 * @param patientMessage what the patients whose appointments are cancelled are told (no private reason)
 */
public record AbsenceAdded(
        UUID absenceId,
        UUID organizationId,
        UUID practitionerId,
        Instant from,
        Instant to,
        String patientMessage,
        UUID actorAccountId) {}
