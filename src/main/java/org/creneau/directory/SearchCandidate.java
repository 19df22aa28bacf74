package org.creneau.directory;

/** A practitioner receiving at a site within a searched place, with its distance. */
public record SearchCandidate(Practitioner practitioner, Site site, double distanceKm) {}
