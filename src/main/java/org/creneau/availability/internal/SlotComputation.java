package org.creneau.availability.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
     * (notice, horizon) is left to the caller, so the result can be kept while time passes. Sorted by
     * {@link #SLOT_ORDER}, without two slots of one start at one site.
     */
    public static List<Slot> slotsWithin(
            VisitMotive motive,
            List<OpeningRange> ranges,
            Map<UUID, ZoneId> siteZones,
            List<BusyPeriod> busy,
            TimeWindow window,
            UUID onlySite) {
        List<OpeningRange> open = new ArrayList<>();
        for (OpeningRange range : ranges) {
            if (range.motiveIds().contains(motive.id())
                    && (onlySite == null || onlySite.equals(range.siteId()))
                    && siteZones.containsKey(range.siteId())) {
                open.add(range);
            }
        }
        if (open.isEmpty()) {
            return List.of();
        }
        // Times as whole microseconds (PostgreSQL's precision), so the loop below allocates nothing but
        // the slots it keeps; the window is rounded inwards and busy time outwards.
        long step = motive.duration().toNanos() / 1000;
        if (step <= 0) {
            return List.of();
        }
        long from = ceilMicros(window.from());
        long to = floorMicros(window.to());
        long[] taken = merge(busy);
        List<Slot> slots = new ArrayList<>();
        // A local day lies within a day of its UTC date (offsets are under 18 hours): the days around
        // the window's UTC days cover every range that can reach into it.
        LocalDate lastDay = window.to().atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1);
        for (LocalDate day =
                        window.from().atOffset(ZoneOffset.UTC).toLocalDate().minusDays(2);
                !day.isAfter(lastDay);
                day = day.plusDays(1)) {
            DayOfWeek weekday = day.getDayOfWeek();
            for (OpeningRange range : open) {
                if (range.weekday() != weekday || !range.appliesOn(day)) {
                    continue;
                }
                ZoneId zone = siteZones.get(range.siteId());
                long rangeStart =
                        floorMicros(ZonedDateTime.of(day, range.start(), zone).toInstant());
                long rangeEnd =
                        floorMicros(ZonedDateTime.of(day, range.end(), zone).toInstant());
                if (rangeEnd <= from || rangeStart >= to) {
                    continue;
                }
                for (long start = rangeStart; start + step <= rangeEnd; start += step) {
                    long end = start + step;
                    if (start >= from && end <= to && !overlapsAny(taken, start, end)) {
                        slots.add(new Slot(instant(start), instant(end), range.siteId(), motive.id()));
                    }
                }
            }
        }
        slots.sort(SLOT_ORDER);
        // Two ranges of one site that overlap give the same slot twice.
        List<Slot> distinct = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            if (distinct.isEmpty() || SLOT_ORDER.compare(distinct.get(distinct.size() - 1), slot) != 0) {
                distinct.add(slot);
            }
        }
        return distinct;
    }

    /** The order slots are listed in: by start, then by site. */
    public static final Comparator<Slot> SLOT_ORDER =
            Comparator.comparing(Slot::start).thenComparing(s -> s.siteId().toString());

    /** Busy periods merged into disjoint intervals sorted by start: start, end, start, end... */
    private static long[] merge(List<BusyPeriod> busy) {
        List<BusyPeriod> sorted = new ArrayList<>(busy);
        sorted.sort(Comparator.comparing(BusyPeriod::start));
        long[] merged = new long[2 * sorted.size()];
        int n = 0;
        for (BusyPeriod b : sorted) {
            long start = floorMicros(b.start());
            long end = ceilMicros(b.end());
            if (n > 0 && start <= merged[n - 1]) {
                merged[n - 1] = Math.max(merged[n - 1], end);
            } else {
                merged[n++] = start;
                merged[n++] = end;
            }
        }
        return Arrays.copyOf(merged, n);
    }

    private static boolean overlapsAny(long[] taken, long start, long end) {
        int lo = 0;
        int hi = taken.length / 2 - 1;
        // Find the last interval starting before the slot ends.
        int candidate = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (taken[2 * mid] < end) {
                candidate = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return candidate >= 0 && taken[2 * candidate + 1] > start;
    }

    private static long floorMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    private static long ceilMicros(Instant instant) {
        return floorMicros(instant) + (instant.getNano() % 1000 == 0 ? 0 : 1);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
