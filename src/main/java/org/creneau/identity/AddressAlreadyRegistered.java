package org.creneau.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone tried to register with an address an account already has: its owner is told (with a link to
 * reset the password), while the person registering got the same answer as for a free address.
 */
public record AddressAlreadyRegistered(UUID accountId, UUID attemptId, Instant occurredAt) {}
