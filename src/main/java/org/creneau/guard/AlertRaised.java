package org.creneau.guard;

import java.time.Instant;
import java.util.UUID;

/**
 * The guard alerted on an app without containing it (a quota reached): the organization's admins and
 * the platform's security contact are told; the grant stays active. Identifiers only.
 */
public record AlertRaised(
        UUID alertId, UUID appId, UUID grantId, UUID organizationId, Signal signal, String detail, Instant raisedAt) {}
