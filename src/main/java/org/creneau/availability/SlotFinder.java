package org.creneau.availability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.internal.AvailabilityRepository;
import org.creneau.availability.internal.BusyPeriod;
import org.creneau.availability.internal.ComputedAvailability;
import org.creneau.availability.internal.SlotComputation;
import org.creneau.directory.Directory;
import org.creneau.directory.SearchCandidate;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Service;

/**
 * Free slots, computed from opening ranges, rules, appointments and absences, and kept per agenda
 * and day in this node's memory ({@link ComputedAvailability}). What is shown comes from what is
 * kept; what a booking relies on (the slot being held, the time being free) is read afresh inside
 * the booking's transaction, and the database's constraint has the last word.
 */
@Service
public class SlotFinder {

    /** No slot list spans more than this. */
    public static final int MAX_WINDOW_DAYS = 31;

    private final AvailabilityRepository repository;
    private final ComputedAvailability computed;
    private final Directory directory;
    private final TenantScope scope;
    private final Clock clock;

    SlotFinder(
            AvailabilityRepository repository,
            ComputedAvailability computed,
            Directory directory,
            TenantScope scope,
            Clock clock) {
        this.repository = repository;
        this.computed = computed;
        this.directory = directory;
        this.scope = scope;
        this.clock = clock;
    }

    /** Free slots of a practitioner for a motive over at most {@link #MAX_WINDOW_DAYS} days. */
    public List<Slot> freeSlots(UUID practitionerId, UUID motiveId, TimeWindow window) {
        VisitMotive motive = bookableMotive(practitionerId, motiveId);
        if (Duration.between(window.from(), window.to()).toDays() > MAX_WINDOW_DAYS) {
            throw new org.creneau.platform.InvalidInputException("to", "the window may span at most 31 days");
        }
        if (!motive.onlineBookable()) {
            return List.of();
        }
        Instant now = clock.instant();
        Optional<TimeWindow> bookable = bookable(motive, window, now);
        if (bookable.isEmpty()) {
            return List.of();
        }
        List<Slot> found = new ArrayList<>();
        for (ComputedAvailability.Day day : days(practitionerId, bookable.get())) {
            for (Slot slot : day.slots(motive.id())) {
                if (within(slot, bookable.get(), window)) {
                    found.add(slot);
                }
            }
        }
        return found;
    }

    /**
     * The free slot starting exactly at {@code start} at {@code siteId}, if there is one, for a motive
     * the caller has already read (and checked belongs to the agenda it books). The busy time is read
     * afresh: a booking never relies on what is kept.
     *
     * @param ignoredAppointment an appointment whose own time does not count as busy (when moving it)
     */
    public Optional<Slot> slotAt(VisitMotive motive, UUID siteId, Instant start, UUID ignoredAppointment) {
        if (!motive.onlineBookable()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        UUID practitionerId = motive.practitionerId();
        TimeWindow around = new TimeWindow(start, start.plus(motive.duration()));
        ComputedAvailability.Agenda agenda = computed.agenda(practitionerId);
        if (!agenda.receivesAt(siteId)) {
            return Optional.empty();
        }
        List<BusyPeriod> busy = scope.read(
                Caller.ANONYMOUS, () -> repository.busy(List.of(practitionerId), around, now, ignoredAppointment));
        return SlotComputation.freeSlots(motive, agenda.ranges(), agenda.zones(), busy, around, now, siteId).stream()
                .filter(s -> s.start().equals(start))
                .findFirst();
    }

    /**
     * Time of an agenda was taken or freed between the two instants (a booking, a hold, a
     * cancellation, a move): what this node kept of those days is dropped, now and at commit.
     */
    public void timeChanged(UUID practitionerId, Instant from, Instant to) {
        computed.timeChanged(practitionerId, from, to);
    }

    /** True when the agenda has opening ranges at the site: the sites a booking may name. */
    public boolean receivesAt(UUID practitionerId, UUID siteId) {
        return computed.agenda(practitionerId).receivesAt(siteId);
    }

    /**
     * True when nothing (appointment or absence) takes any of [start, end) on the agenda, whatever
     * the opening hours: what the practice's own bookings need. Read afresh, never from what is kept.
     */
    public boolean isFree(UUID practitionerId, Instant start, Instant end, UUID ignoredAppointment) {
        return scope.read(
                        Caller.ANONYMOUS,
                        () -> repository.busy(
                                List.of(practitionerId),
                                new TimeWindow(start, end),
                                clock.instant(),
                                ignoredAppointment))
                .isEmpty();
    }

    /**
     * The taken time of an agenda starting within the window (appointments still holding their
     * time, and absences), as bare periods: no patient, no appointment, nothing that tells them
     * apart. Read through the same cross-organization function as the free slots.
     */
    public List<TimeWindow> busyTimes(UUID practitionerId, TimeWindow window) {
        if (Duration.between(window.from(), window.to()).toDays() > MAX_WINDOW_DAYS) {
            throw new org.creneau.platform.InvalidInputException("to", "the window may span at most 31 days");
        }
        return days(practitionerId, window).stream()
                .flatMap(day -> day.busy().stream())
                .filter(b -> !b.start().isBefore(window.from()) && b.start().isBefore(window.to()))
                .map(b -> new TimeWindow(b.start(), b.end()))
                .distinct()
                .sorted(Comparator.comparing(TimeWindow::from).thenComparing(TimeWindow::to))
                .toList();
    }

    /**
     * For each search candidate, its first {@code count} free slots in the window over its
     * online-bookable motives, soonest first, one per start time. The days are looked at a few at a
     * time, soonest first, and only for the candidates still short of slots: most have them within
     * a day or two, so a search computes (or finds kept) those days rather than the whole window of
     * every candidate; a few slots rarely need more days than one (a day open to bookings has many).
     */
    public Map<SearchCandidate, List<Slot>> nextSlots(List<SearchCandidate> candidates, TimeWindow window, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        Map<SearchCandidate, List<Slot>> result = new LinkedHashMap<>();
        if (candidates.isEmpty()) {
            return result;
        }
        Set<UUID> practitioners = new LinkedHashSet<>();
        candidates.forEach(c -> practitioners.add(c.practitioner().id()));
        Map<UUID, List<VisitMotive>> motives = directory.motivesOf(practitioners).stream()
                .filter(VisitMotive::onlineBookable)
                .collect(Collectors.groupingBy(VisitMotive::practitionerId));
        Instant now = clock.instant();
        // Days no motive can book are not computed: from the soonest notice to the furthest horizon.
        Optional<TimeWindow> reachable = motives.values().stream()
                .flatMap(List::stream)
                .map(m -> bookable(m, window, now))
                .flatMap(Optional::stream)
                .reduce((a, b) -> new TimeWindow(min(a.from(), b.from()), max(a.to(), b.to())));
        Map<SearchCandidate, List<Slot>> found = new HashMap<>();
        if (reachable.isPresent()) {
            List<SearchCandidate> pending = candidates.stream()
                    .filter(c -> motives.containsKey(c.practitioner().id()))
                    .toList();
            LocalDate last = ComputedAvailability.dayOf(reachable.get().to().minusNanos(1));
            LocalDate from = ComputedAvailability.dayOf(reachable.get().from());
            // Two days, then four, eight...: few reads of busy time even for a candidate with no slot.
            for (int span = 2; !pending.isEmpty() && !from.isAfter(last); span *= 2) {
                LocalDate to = from.plusDays(span - 1).isAfter(last) ? last : from.plusDays(span - 1);
                Set<UUID> agendas = new LinkedHashSet<>();
                pending.forEach(c -> agendas.add(c.practitioner().id()));
                Map<UUID, List<ComputedAvailability.Day>> days = computed.days(agendas, from, to);
                List<SearchCandidate> still = new ArrayList<>();
                for (SearchCandidate c : pending) {
                    UUID p = c.practitioner().id();
                    List<Slot> own = found.computeIfAbsent(c, k -> new ArrayList<>(count));
                    addFirstSlots(
                            own, count, days.get(p), motives.get(p), c.site().id(), window, now);
                    if (own.size() < count) {
                        still.add(c);
                    }
                }
                pending = still;
                from = to.plusDays(1);
            }
        }
        candidates.forEach(c -> result.put(c, List.copyOf(found.getOrDefault(c, List.of()))));
        return result;
    }

    /**
     * Adds to {@code found} the earliest free slots at the site over the motives, day after day,
     * until it holds {@code count}: one per start time (when two motives start together, the first
     * motive's), in order.
     */
    private static void addFirstSlots(
            List<Slot> found,
            int count,
            List<ComputedAvailability.Day> days,
            List<VisitMotive> motives,
            UUID siteId,
            TimeWindow window,
            Instant now) {
        for (ComputedAvailability.Day day : days) {
            if (found.size() >= count) {
                return;
            }
            // The day's slots of each motive are in order: the first `count` of each are enough.
            List<Slot> candidates = new ArrayList<>();
            for (VisitMotive m : motives) {
                Optional<TimeWindow> bookable = bookable(m, window, now);
                if (bookable.isEmpty()) {
                    continue;
                }
                int taken = 0;
                for (Slot s : day.slots(m.id())) {
                    if (taken == count) {
                        break;
                    }
                    if (s.siteId().equals(siteId) && within(s, bookable.get(), window)) {
                        candidates.add(s);
                        taken++;
                    }
                }
            }
            // A stable sort keeps the first motive's slot first among those starting together.
            candidates.sort(Comparator.comparing(Slot::start));
            Instant previous =
                    found.isEmpty() ? null : found.get(found.size() - 1).start();
            for (Slot s : candidates) {
                if (found.size() == count) {
                    return;
                }
                if (!s.start().equals(previous)) {
                    found.add(s);
                    previous = s.start();
                }
            }
        }
    }

    /**
     * The part of the window where a slot of the motive may start now: after the notice, before the
     * horizon; empty when none.
     */
    private static Optional<TimeWindow> bookable(VisitMotive motive, TimeWindow window, Instant now) {
        Instant earliest = max(window.from(), now.plus(motive.rules().minimumNotice()));
        // A slot starting exactly at the horizon is still bookable.
        Instant latest = min(window.to(), now.plus(motive.rules().horizon()).plusNanos(1));
        return earliest.isBefore(latest) ? Optional.of(new TimeWindow(earliest, latest)) : Optional.empty();
    }

    private static boolean within(Slot slot, TimeWindow bookable, TimeWindow window) {
        return !slot.start().isBefore(bookable.from())
                && slot.start().isBefore(bookable.to())
                && !slot.end().isAfter(window.to());
    }

    private List<ComputedAvailability.Day> days(UUID practitionerId, TimeWindow window) {
        return computed.days(
                        List.of(practitionerId),
                        ComputedAvailability.dayOf(window.from()),
                        ComputedAvailability.dayOf(window.to().minusNanos(1)))
                .get(practitionerId);
    }

    private VisitMotive bookableMotive(UUID practitionerId, UUID motiveId) {
        directory.practitioner(practitionerId).orElseThrow(() -> new NotFoundException("practitioner"));
        return directory
                .motive(motiveId)
                .filter(m -> m.practitionerId().equals(practitionerId))
                .orElseThrow(() -> new NotFoundException("motive"));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
