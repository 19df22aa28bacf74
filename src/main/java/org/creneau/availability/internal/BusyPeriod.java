package org.creneau.availability.internal;

import java.time.Instant;
import java.util.UUID;

/** Time of an agenda already taken, by an appointment or an absence; no patient in it. */
public record BusyPeriod(UUID practitionerId, Instant start, Instant end) {}
