package org.creneau.apps;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization granted a connected app access, suspended, resumed or revoked it: identifiers
 * only. The actor is null when the platform's command line did it for the organization.
 */
public record AppGrantChanged(
        Kind kind, UUID organizationId, UUID grantId, UUID appId, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        GRANTED,
        SUSPENDED,
        RESUMED,
        REVOKED
    }
}
