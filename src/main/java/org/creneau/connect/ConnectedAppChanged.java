package org.creneau.connect;

import java.time.Instant;
import java.util.UUID;

/** A connected app was registered or suspended by a platform admin: identifiers only. */
public record ConnectedAppChanged(Kind kind, UUID appId, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        REGISTERED,
        SUSPENDED
    }
}
