package org.creneau.availability.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Set;
import java.util.UUID;

/** A weekly range of local time when a practitioner receives at a site, for some motives. */
public record OpeningRange(
        UUID id,
        UUID practitionerId,
        UUID siteId,
        DayOfWeek weekday,
        LocalTime start,
        LocalTime end,
        LocalDate validFrom,
        LocalDate validUntil,
        Set<UUID> motiveIds) {

    boolean appliesOn(LocalDate date) {
        return date.getDayOfWeek() == weekday
                && !date.isBefore(validFrom)
                && (validUntil == null || !date.isAfter(validUntil));
    }
}
