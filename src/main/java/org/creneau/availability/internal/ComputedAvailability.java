package org.creneau.availability.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaChanged;
import org.creneau.availability.Slot;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryChanged;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NodeCache;
import org.creneau.platform.TimeWindow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Availability computed per agenda and (UTC) day, kept in this node's memory: the day's busy time
 * and the free slots starting that day for each online motive, whatever the booking rules; the
 * rules that depend on "now" (notice, horizon, the past) are applied each time a slot is served.
 * Also each agenda's opening ranges. Entries live at most {@code creneau.cache.time-to-live} (the
 * bound for changes made on other nodes and for holds lapsing) and are dropped at once when this
 * node books, cancels, moves or changes an agenda (see docs/architecture.md).
 */
@Component
public class ComputedAvailability {

    /**
     * A day entry reads busy time over its day and the next: a slot starting late in the day may end
     * after midnight (a motive lasts at most 8 hours).
     */
    private static final Duration SPAN = Duration.ofDays(2);

    /** An agenda's opening ranges and the time zones of their sites. */
    public record Agenda(List<OpeningRange> ranges, Map<UUID, ZoneId> zones) {

        public boolean receivesAt(UUID siteId) {
            return ranges.stream().anyMatch(r -> r.siteId().equals(siteId));
        }
    }

    /** One agenda's day: busy time over [day, day + 2), free slots starting within the day, by motive. */
    public record Day(LocalDate day, List<BusyPeriod> busy, Map<UUID, List<Slot>> slotsByMotive) {

        public List<Slot> slots(UUID motiveId) {
            return slotsByMotive.getOrDefault(motiveId, List.of());
        }
    }

    private record DayKey(UUID practitionerId, LocalDate day) {}

    private final AvailabilityRepository repository;
    private final Directory directory;
    private final TenantScope scope;
    private final Clock clock;
    private final NodeCache<UUID, UUID, Agenda> agendas;
    private final NodeCache<DayKey, UUID, Day> days;

    ComputedAvailability(
            AvailabilityRepository repository,
            Directory directory,
            TenantScope scope,
            Clock clock,
            @Value("${creneau.cache.time-to-live:PT5S}") Duration timeToLive,
            @Value("${creneau.cache.availability-days:20000}") int maxDays) {
        this.repository = repository;
        this.directory = directory;
        this.scope = scope;
        this.clock = clock;
        this.agendas = new NodeCache<>(Math.max(1, maxDays / 7), timeToLive, clock);
        this.days = new NodeCache<>(maxDays, timeToLive, clock);
    }

    public static LocalDate dayOf(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    public Agenda agenda(UUID practitionerId) {
        return agendas(List.of(practitionerId)).get(practitionerId);
    }

    /** The agendas' ranges, those not kept read in one statement. */
    public Map<UUID, Agenda> agendas(Collection<UUID> practitionerIds) {
        Map<UUID, Agenda> found = new HashMap<>();
        Set<UUID> missing = new LinkedHashSet<>();
        for (UUID id : practitionerIds) {
            Agenda agenda = agendas.get(id);
            if (agenda != null) {
                found.put(id, agenda);
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        NodeCache.Ticket ticket = agendas.ticket();
        List<OpeningRange> ranges = scope.read(Caller.ANONYMOUS, () -> repository.rangesOf(missing));
        Map<UUID, ZoneId> zones = new HashMap<>();
        for (Site site :
                directory.sites(ranges.stream().map(OpeningRange::siteId).collect(Collectors.toSet()))) {
            zones.put(site.id(), site.timeZone());
        }
        Map<UUID, List<OpeningRange>> byAgenda =
                ranges.stream().collect(Collectors.groupingBy(OpeningRange::practitionerId));
        for (UUID id : missing) {
            List<OpeningRange> own = List.copyOf(byAgenda.getOrDefault(id, List.of()));
            Map<UUID, ZoneId> ownZones = new HashMap<>();
            own.forEach(r -> {
                if (zones.containsKey(r.siteId())) {
                    ownZones.put(r.siteId(), zones.get(r.siteId()));
                }
            });
            Agenda agenda = new Agenda(own, Map.copyOf(ownZones));
            agendas.put(ticket, id, id, agenda);
            found.put(id, agenda);
        }
        return found;
    }

    /**
     * The days {@code first} to {@code last} (UTC, inclusive) of each agenda, in order; those not kept
     * are computed from one read of ranges and one of busy time for all the agendas.
     */
    public Map<UUID, List<Day>> days(Collection<UUID> practitionerIds, LocalDate first, LocalDate last) {
        Map<UUID, Map<LocalDate, Day>> found = new LinkedHashMap<>();
        Map<UUID, List<LocalDate>> missing = new LinkedHashMap<>();
        for (UUID p : practitionerIds) {
            Map<LocalDate, Day> own = found.computeIfAbsent(p, k -> new HashMap<>());
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                Day day = days.get(new DayKey(p, d));
                if (day != null) {
                    own.put(d, day);
                } else {
                    missing.computeIfAbsent(p, k -> new ArrayList<>()).add(d);
                }
            }
        }
        if (!missing.isEmpty()) {
            compute(missing).forEach((p, computed) -> found.get(p).putAll(computed));
        }
        Map<UUID, List<Day>> result = new LinkedHashMap<>();
        found.forEach((p, own) -> {
            List<Day> ordered = new ArrayList<>();
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                ordered.add(own.get(d));
            }
            result.put(p, ordered);
        });
        return result;
    }

    private Map<UUID, Map<LocalDate, Day>> compute(Map<UUID, List<LocalDate>> missing) {
        NodeCache.Ticket ticket = days.ticket();
        Instant now = clock.instant();
        LocalDate from = missing.values().stream()
                .flatMap(List::stream)
                .min(LocalDate::compareTo)
                .orElseThrow();
        LocalDate to = missing.values().stream()
                .flatMap(List::stream)
                .max(LocalDate::compareTo)
                .orElseThrow();
        Map<UUID, Agenda> agendasOf = agendas(missing.keySet());
        Map<UUID, List<VisitMotive>> motives = directory.motivesOf(missing.keySet()).stream()
                .filter(VisitMotive::onlineBookable)
                .collect(Collectors.groupingBy(VisitMotive::practitionerId));
        TimeWindow read = new TimeWindow(start(from), start(to).plus(SPAN));
        Map<UUID, List<BusyPeriod>> busy =
                scope.read(Caller.ANONYMOUS, () -> repository.busy(missing.keySet(), read, now, null)).stream()
                        .collect(Collectors.groupingBy(BusyPeriod::practitionerId));
        Map<UUID, Map<LocalDate, Day>> computed = new HashMap<>();
        missing.forEach((p, dates) -> {
            Map<LocalDate, Day> own = compute(
                    agendasOf.get(p), motives.getOrDefault(p, List.of()), busy.getOrDefault(p, List.of()), dates);
            own.forEach((date, day) -> days.put(ticket, new DayKey(p, date), p, day));
            computed.put(p, own);
        });
        return computed;
    }

    /**
     * The days of one agenda, from one computation of each motive over all of them (the days between
     * that are kept already are computed again and left out): cutting it day by day would lay out
     * each range and each slot twice.
     */
    private static Map<LocalDate, Day> compute(
            Agenda agenda, List<VisitMotive> motives, List<BusyPeriod> busy, List<LocalDate> dates) {
        List<LocalDate> sorted = dates.stream().sorted().toList();
        TimeWindow span = new TimeWindow(
                start(sorted.get(0)), start(sorted.get(sorted.size() - 1)).plus(SPAN));
        Map<UUID, List<Slot>> slotsOf = new HashMap<>();
        for (VisitMotive m : motives) {
            slotsOf.put(m.id(), SlotComputation.slotsWithin(m, agenda.ranges(), agenda.zones(), busy, span, null));
        }
        Map<LocalDate, Day> computed = new HashMap<>();
        for (LocalDate date : sorted) {
            Instant dayStart = start(date);
            Instant dayEnd = start(date.plusDays(1));
            Instant spanEnd = dayStart.plus(SPAN);
            List<BusyPeriod> dayBusy = busy.stream()
                    .filter(b -> b.start().isBefore(spanEnd) && b.end().isAfter(dayStart))
                    .toList();
            Map<UUID, List<Slot>> slots = new HashMap<>();
            slotsOf.forEach((motive, all) -> slots.put(motive, startingWithin(all, dayStart, dayEnd)));
            computed.put(date, new Day(date, dayBusy, Map.copyOf(slots)));
        }
        return computed;
    }

    /** The slots of a list sorted by start that start within [from, to). */
    private static List<Slot> startingWithin(List<Slot> sorted, Instant from, Instant to) {
        int first = firstStartingAtOrAfter(sorted, from);
        int end = firstStartingAtOrAfter(sorted, to);
        return List.copyOf(sorted.subList(first, end));
    }

    private static int firstStartingAtOrAfter(List<Slot> sorted, Instant instant) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).start().isBefore(instant)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A motive or the booking rules of an agenda changed. */
    @EventListener
    void directoryChanged(DirectoryChanged change) {
        if (change.practitionerId() != null) {
            agendaChanged(change.practitionerId());
        }
    }

    /** Staff changed an agenda's motives, ranges, absences or rules. */
    @EventListener
    void agendaChanged(AgendaChanged change) {
        agendaChanged(change.practitionerId());
    }

    /** Time of an agenda was taken or freed between the two instants: the days that read it go. */
    public void timeChanged(UUID practitionerId, Instant from, Instant to) {
        LocalDate first = dayOf(from).minusDays(1);
        LocalDate last = dayOf(to);
        days.invalidate(
                practitionerId, k -> !k.day().isBefore(first) && !k.day().isAfter(last));
    }

    /** An agenda's ranges, absences, motives or rules changed: all it had kept goes. */
    public void agendaChanged(UUID practitionerId) {
        agendas.invalidateGroup(practitionerId);
        days.invalidateGroup(practitionerId);
    }

    /** What the day entries' cache did since start: for sizing it and for benchmarks. */
    public NodeCache.Stats dayStats() {
        return days.stats();
    }

    public void everythingChanged() {
        agendas.invalidateAll();
        days.invalidateAll();
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
