package org.creneau.availability;

import java.time.Instant;
import java.util.UUID;

/** A free slot of one agenda, for one motive, at one site. */
public record Slot(Instant start, Instant end, UUID siteId, UUID motiveId) {}
