package org.creneau.availability.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.creneau.availability.Slot;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.TimeWindow;

/**
 * Free slots of one motive: opening ranges laid out day by day in their site's time zone, cut
 * into slots of the motive's duration, minus busy time and outside the booking rules. Slots are
 * stepped in real time between the range's two instants, so a range across a daylight-saving
 * change yields exactly the slots that fit in the hours that really exist.
 */
public final class SlotComputation {

    private SlotComputation() {}

    public static List<Slot> freeSlots(
            VisitMotive motive,
            List<OpeningRange> ranges,
            Map<UUID, ZoneId> siteZones,
            List<BusyPeriod> busy,
            TimeWindow window,
            Instant now,
            UUID onlySite) {
        Instant earliest = max(window.from(), now.plus(motive.rules().minimumNotice()));
        Instant latestStart = now.plus(motive.rules().horizon());
        if (!earliest.isBefore(window.to()) || earliest.isAfter(latestStart)) {
            return List.of();
        }
        return slotsWithin(motive, ranges, siteZones, busy, new TimeWindow(earliest, window.to()), onlySite).stream()
                .filter(s -> !s.start().isAfter(latestStart))
                .toList();
    }

    /**
     * Free slots lying wholly within the window, whatever the booking rules: what depends on "now"
     * (notice, horizon) is left to the caller, so the result can be kept while time passes.
     */
    public static List<Slot> slotsWithin(
            VisitMotive motive,
            List<OpeningRange> ranges,
            Map<UUID, ZoneId> siteZones,
            List<BusyPeriod> busy,
            TimeWindow window,
            UUID onlySite) {
        Duration duration = motive.duration();
        List<Instant[]> taken = merge(busy);
        TreeSet<Slot> slots = new TreeSet<>(SLOT_ORDER);
        for (OpeningRange range : ranges) {
            if (!range.motiveIds().contains(motive.id()) || (onlySite != null && !onlySite.equals(range.siteId()))) {
                continue;
            }
            ZoneId zone = siteZones.get(range.siteId());
            if (zone == null) {
                continue;
            }
            LocalDate day = window.from().atZone(zone).toLocalDate().minusDays(1);
            LocalDate lastDay = window.to().atZone(zone).toLocalDate();
            for (; !day.isAfter(lastDay); day = day.plusDays(1)) {
                if (!range.appliesOn(day)) {
                    continue;
                }
                Instant rangeStart = ZonedDateTime.of(day, range.start(), zone).toInstant();
                Instant rangeEnd = ZonedDateTime.of(day, range.end(), zone).toInstant();
                for (Instant start = rangeStart;
                        !start.plus(duration).isAfter(rangeEnd);
                        start = start.plus(duration)) {
                    Instant end = start.plus(duration);
                    if (start.isBefore(window.from()) || end.isAfter(window.to())) {
                        continue;
                    }
                    if (!overlapsAny(taken, start, end)) {
                        slots.add(new Slot(start, end, range.siteId(), motive.id()));
                    }
                }
            }
        }
        return new ArrayList<>(slots);
    }

    /** The order slots are listed in: by start, then by site. */
    public static final Comparator<Slot> SLOT_ORDER =
            Comparator.comparing(Slot::start).thenComparing(s -> s.siteId().toString());

    /** Busy periods merged into disjoint intervals sorted by start. */
    private static List<Instant[]> merge(List<BusyPeriod> busy) {
        List<BusyPeriod> sorted = new ArrayList<>(busy);
        sorted.sort(Comparator.comparing(BusyPeriod::start));
        List<Instant[]> merged = new ArrayList<>();
        for (BusyPeriod b : sorted) {
            Instant[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !b.start().isAfter(last[1])) {
                if (b.end().isAfter(last[1])) {
                    last[1] = b.end();
                }
            } else {
                merged.add(new Instant[] {b.start(), b.end()});
            }
        }
        return merged;
    }

    private static boolean overlapsAny(List<Instant[]> taken, Instant start, Instant end) {
        int lo = 0;
        int hi = taken.size() - 1;
        // Find the last interval starting before the slot ends.
        int candidate = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (taken.get(mid)[0].isBefore(end)) {
                candidate = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return candidate >= 0 && taken.get(candidate)[1].isAfter(start);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
