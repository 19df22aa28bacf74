package org.creneau.guard;

import java.time.Instant;
import java.util.UUID;

/**
 * The guard contained a staff account of an organization: its sessions are ended, its requests refused
 * until an admin lifts it, the journal frozen; the organization's admins are to be told. Identifiers only.
 */
public record StaffAccountContained(
        UUID alertId, UUID accountId, UUID organizationId, StaffSignal signal, Instant raisedAt) {}
