package org.creneau.connect;

import java.time.Instant;
import java.util.UUID;

/** A platform admin registered, suspended or reactivated a connected app: identifiers only. */
public record ConnectedAppChanged(Kind kind, UUID appId, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        REGISTERED,
        SUSPENDED,
        REACTIVATED
    }
}
