package org.creneau.apps;

import java.time.Instant;
import java.util.UUID;

/**
 * A platform admin registered, suspended or reactivated a connected app: identifiers only. The
 * actor is null when the platform's command line did it.
 */
public record ConnectedAppChanged(Kind kind, UUID appId, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        REGISTERED,
        SUSPENDED,
        REACTIVATED
    }
}
