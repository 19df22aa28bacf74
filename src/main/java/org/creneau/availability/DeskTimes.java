package org.creneau.availability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.internal.AvailabilityRepository;
import org.creneau.availability.internal.BusyPeriod;
import org.creneau.availability.internal.ComputedAvailability;
import org.creneau.availability.internal.SlotComputation;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Service;

/**
 * What a practice's desk sees of its agendas besides the appointments: the free slots of a motive
 * whatever the online rules (the desk books motives patients cannot, at short notice) and the
 * absences. Both need the right to see the agenda's appointments; without it the agenda is missing.
 */
@Service
public class DeskTimes {

    private final AvailabilityRepository repository;
    private final ComputedAvailability computed;
    private final AgendaRights rights;
    private final TenantScope scope;
    private final Clock clock;

    DeskTimes(
            AvailabilityRepository repository,
            ComputedAvailability computed,
            AgendaRights rights,
            TenantScope scope,
            Clock clock) {
        this.repository = repository;
        this.computed = computed;
        this.rights = rights;
        this.scope = scope;
        this.clock = clock;
    }

    /** An absence of an agenda, with the practice's own reason (never shown to patients). */
    public record Absence(UUID id, UUID practitionerId, Instant from, Instant to, String reason) {}

    /** The absences of the agendas overlapping the window, by agenda, in time order. */
    public Map<UUID, List<Absence>> absences(Caller.Staff staff, List<UUID> practitionerIds, TimeWindow window) {
        return scope.read(staff, () -> {
            requireAll(staff, practitionerIds);
            Map<UUID, List<Absence>> found = new LinkedHashMap<>();
            for (UUID p : practitionerIds) {
                found.put(
                        p,
                        repository.absencesOf(p, window).stream()
                                .map(a -> new Absence(a.id(), p, a.from(), a.to(), a.reason()))
                                .toList());
            }
            return found;
        });
    }

    /**
     * The free slots of each motive's agenda (one motive per agenda) starting within the window and
     * from now on, whatever the motive's online rules, by agenda. The busy time is the kept one (as
     * for the patients' pages); a booking reads it afresh.
     */
    public Map<UUID, List<Slot>> freeSlots(Caller.Staff staff, List<VisitMotive> motives, TimeWindow window) {
        if (Duration.between(window.from(), window.to()).toDays() > SlotFinder.MAX_WINDOW_DAYS) {
            throw new InvalidInputException("to", "the window may span at most 31 days");
        }
        Set<UUID> agendas = new LinkedHashSet<>();
        motives.forEach(m -> agendas.add(m.practitionerId()));
        scope.read(staff, () -> {
            requireAll(staff, List.copyOf(agendas));
            return null;
        });
        Map<UUID, List<Slot>> found = new LinkedHashMap<>();
        Instant now = clock.instant();
        if (!window.to().isAfter(now)) {
            agendas.forEach(p -> found.put(p, List.of()));
            return found;
        }
        TimeWindow ahead = new TimeWindow(window.from().isBefore(now) ? now : window.from(), window.to());
        Map<UUID, List<ComputedAvailability.Day>> days = computed.days(
                agendas,
                ComputedAvailability.dayOf(ahead.from()),
                ComputedAvailability.dayOf(ahead.to().minusNanos(1)));
        Map<UUID, ComputedAvailability.Agenda> ranges = computed.agendas(agendas);
        for (VisitMotive motive : motives) {
            UUID p = motive.practitionerId();
            Set<BusyPeriod> busy = new LinkedHashSet<>();
            days.get(p).forEach(day -> busy.addAll(day.busy()));
            ComputedAvailability.Agenda agenda = ranges.get(p);
            found.put(
                    p,
                    SlotComputation.slotsWithin(
                            motive, agenda.ranges(), agenda.zones(), new ArrayList<>(busy), ahead, null));
        }
        return found;
    }

    /** The right to see every one of the agendas, read once; one missing is like a missing agenda. */
    private void requireAll(Caller.Staff staff, List<UUID> practitionerIds) {
        if (!rights.agendasWith(staff, AgendaRight.VIEW_APPOINTMENTS).containsAll(practitionerIds)) {
            throw new NotFoundException("agenda");
        }
    }
}
