package org.creneau.apps;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An organization's admin changed the guard's limits of a grant: each threshold (and the hours) as it
 * was and as it is now, by the names of the limits API ({@code default} for the platform's default).
 * The platform's security contact is told of every change. Identifiers and numbers only.
 */
public record GrantLimitsChanged(
        UUID organizationId,
        UUID grantId,
        UUID appId,
        UUID actorAccountId,
        Map<String, String> before,
        Map<String, String> after,
        Instant occurredAt) {

    public GrantLimitsChanged {
        before = Map.copyOf(before);
        after = Map.copyOf(after);
    }
}
