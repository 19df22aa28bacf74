package org.creneau.access;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A staff member gained or lost rights on an agenda: identifiers only. The agenda's practitioner
 * is told.
 */
public record AgendaRightsChanged(
        UUID organizationId,
        UUID practitionerId,
        UUID accountId,
        Set<AgendaRight> before,
        Set<AgendaRight> after,
        UUID actorAccountId,
        Instant occurredAt) {}
