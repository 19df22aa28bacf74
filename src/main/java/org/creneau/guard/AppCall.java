package org.creneau.guard;

import java.util.UUID;

/** A connected app acting through one of its grants, in one organization. */
public record AppCall(UUID appId, UUID grantId, UUID organizationId, GrantLimits limits) {}
