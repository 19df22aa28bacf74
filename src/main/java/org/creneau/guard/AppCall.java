package org.creneau.guard;

import java.util.List;
import java.util.UUID;

/**
 * A connected app acting through one of its grants, in one organization; {@code appGrants} are the
 * limits of every grant the app acts through (this one included), whose approved values raise the
 * app's own thresholds across organizations.
 */
public record AppCall(UUID appId, UUID grantId, UUID organizationId, GrantLimits limits, List<GrantLimits> appGrants) {

    public AppCall {
        appGrants = List.copyOf(appGrants);
    }

    /** A call through this grant alone. */
    public AppCall(UUID appId, UUID grantId, UUID organizationId, GrantLimits limits) {
        this(appId, grantId, organizationId, limits, List.of(limits));
    }
}
