package org.creneau.guard;

import java.time.Instant;
import java.util.UUID;

/**
 * The guard contained an app: its grant in {@code organizationId} (in every organization when
 * {@code severe}) must be suspended at once. Identifiers only.
 */
public record ContainmentOrdered(
        UUID alertId, UUID appId, UUID grantId, UUID organizationId, Signal signal, boolean severe, Instant raisedAt) {}
