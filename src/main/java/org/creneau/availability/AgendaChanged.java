package org.creneau.availability;

import java.time.Instant;
import java.util.UUID;

/** Staff changed an agenda's settings: who, what, which object. Identifiers only. */
public record AgendaChanged(
        Kind kind, UUID organizationId, UUID practitionerId, UUID objectId, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        MOTIVE_CREATED,
        MOTIVE_CHANGED,
        OPENING_RANGE_ADDED,
        OPENING_RANGE_REMOVED,
        ABSENCE_ADDED,
        ABSENCE_REMOVED,
        RULES_CHANGED
    }
}
