package org.creneau.patients;

import java.time.Instant;
import java.util.UUID;

/**
 * A patient account is about to stop booking for one of its relatives: published inside the
 * removal's transaction, so a module that still holds something for that person (an appointment
 * to come) can refuse by throwing, and the removal does not happen.
 */
public record RelativeLeaving(UUID accountId, UUID relativeId, Instant at) {}
