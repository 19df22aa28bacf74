package org.creneau.availability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.creneau.availability.internal.OpeningRange;
import org.creneau.availability.internal.SlotComputation;
import org.creneau.directory.Directory;
import org.creneau.directory.SearchCandidate;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Service;

/** Free slots, computed on demand from opening ranges, rules, appointments and absences. */
@Service
public class SlotFinder {

    /** No slot list spans more than this. */
    public static final int MAX_WINDOW_DAYS = 31;

    private final AvailabilityRepository repository;
    private final Directory directory;
    private final TenantScope scope;
    private final Clock clock;

    SlotFinder(AvailabilityRepository repository, Directory directory, TenantScope scope, Clock clock) {
        this.repository = repository;
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
        return compute(motive, window, null, null);
    }

    /**
     * The free slot starting exactly at {@code start} at {@code siteId}, if there is one, for a motive
     * the caller has already read (and checked belongs to the agenda it books).
     *
     * @param ignoredAppointment an appointment whose own time does not count as busy (when moving it)
     */
    public Optional<Slot> slotAt(VisitMotive motive, UUID siteId, Instant start, UUID ignoredAppointment) {
        if (!motive.onlineBookable()) {
            return Optional.empty();
        }
        TimeWindow around = new TimeWindow(start, start.plus(motive.duration()));
        return compute(motive, around, siteId, ignoredAppointment).stream()
                .filter(s -> s.start().equals(start))
                .findFirst();
    }

    /**
     * True when nothing (appointment or absence) takes any of [start, end) on the agenda, whatever
     * the opening hours: what the practice's own bookings need.
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
        return scope
                .read(Caller.ANONYMOUS, () -> repository.busy(List.of(practitionerId), window, clock.instant(), null))
                .stream()
                .filter(b -> !b.start().isBefore(window.from()) && b.start().isBefore(window.to()))
                .map(b -> new TimeWindow(b.start(), b.end()))
                .distinct()
                .sorted(Comparator.comparing(TimeWindow::from).thenComparing(TimeWindow::to))
                .toList();
    }

    /** For each search candidate, its earliest free slot in the window over its online-bookable motives. */
    public Map<SearchCandidate, Optional<Slot>> nextSlots(List<SearchCandidate> candidates, TimeWindow window) {
        Map<SearchCandidate, Optional<Slot>> result = new LinkedHashMap<>();
        if (candidates.isEmpty()) {
            return result;
        }
        Set<UUID> practitioners =
                candidates.stream().map(c -> c.practitioner().id()).collect(Collectors.toSet());
        Map<UUID, List<VisitMotive>> motives = directory.motivesOf(practitioners).stream()
                .filter(VisitMotive::onlineBookable)
                .collect(Collectors.groupingBy(VisitMotive::practitionerId));
        Instant now = clock.instant();
        List<OpeningRange> allRanges;
        List<BusyPeriod> allBusy;
        Map<UUID, ZoneId> zones = new HashMap<>();
        candidates.forEach(c -> zones.put(c.site().id(), c.site().timeZone()));
        record Loaded(List<OpeningRange> ranges, List<BusyPeriod> busy) {}
        Loaded loaded = scope.read(
                Caller.ANONYMOUS,
                () -> new Loaded(
                        repository.rangesOf(practitioners), repository.busy(practitioners, window, now, null)));
        allRanges = loaded.ranges();
        allBusy = loaded.busy();
        Map<UUID, List<OpeningRange>> rangesBy =
                allRanges.stream().collect(Collectors.groupingBy(OpeningRange::practitionerId));
        Map<UUID, List<BusyPeriod>> busyBy =
                allBusy.stream().collect(Collectors.groupingBy(BusyPeriod::practitionerId));
        for (SearchCandidate c : candidates) {
            UUID p = c.practitioner().id();
            Optional<Slot> next = motives.getOrDefault(p, List.of()).stream()
                    .flatMap(m -> SlotComputation.freeSlots(
                                    m,
                                    rangesBy.getOrDefault(p, List.of()),
                                    zones,
                                    busyBy.getOrDefault(p, List.of()),
                                    window,
                                    now,
                                    c.site().id())
                            .stream()
                            .limit(1))
                    .min(Comparator.comparing(Slot::start));
            result.put(c, next);
        }
        return result;
    }

    private List<Slot> compute(VisitMotive motive, TimeWindow window, UUID onlySite, UUID ignoredAppointment) {
        Instant now = clock.instant();
        UUID practitionerId = motive.practitionerId();
        record Loaded(List<OpeningRange> ranges, List<BusyPeriod> busy) {}
        Loaded loaded = scope.read(
                Caller.ANONYMOUS,
                () -> new Loaded(
                        repository.rangesOf(List.of(practitionerId)),
                        repository.busy(List.of(practitionerId), window, now, ignoredAppointment)));
        Map<UUID, ZoneId> zones = new HashMap<>();
        for (Site site : directory.sitesOf(practitionerId)) {
            zones.put(site.id(), site.timeZone());
        }
        return new ArrayList<>(
                SlotComputation.freeSlots(motive, loaded.ranges(), zones, loaded.busy(), window, now, onlySite));
    }

    private VisitMotive bookableMotive(UUID practitionerId, UUID motiveId) {
        directory.practitioner(practitionerId).orElseThrow(() -> new NotFoundException("practitioner"));
        return directory
                .motive(motiveId)
                .filter(m -> m.practitionerId().equals(practitionerId))
                .orElseThrow(() -> new NotFoundException("motive"));
    }
}
