package org.creneau.apps;

import java.util.List;
import java.util.UUID;
import org.creneau.guard.AppCall;
import org.creneau.guard.GrantLimits;

/**
 * One organization's grant to an app as it is now: its id, the organization, its scopes and limits,
 * and whether it shows patients' contact details (phone, email).
 */
public record ActiveGrant(
        UUID grantId, UUID organizationId, List<String> scopes, GrantLimits limits, boolean contactDetails) {

    /** The guard's view of a call made under this grant by {@code appId}. */
    public AppCall call(UUID appId) {
        return new AppCall(appId, grantId, organizationId, limits);
    }
}
