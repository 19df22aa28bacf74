package org.creneau.availability;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.internal.AvailabilityRepository;
import org.creneau.availability.internal.ComputedAvailability;
import org.creneau.availability.internal.OpeningRange;
import org.creneau.directory.BookingRules;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * An agenda's settings: its motives, weekly opening ranges, absences and booking rules. Staff act
 * through the methods taking a {@link Caller.Staff}: each needs the "manage agenda settings" right on
 * the agenda, is one transaction and publishes one {@link AgendaChanged}. The methods taking an
 * organization id run inside a scope their caller opened (the demo, fixtures); the database refuses
 * rows of another organization either way.
 */
@Service
public class AgendaSettings {

    /** Absences listed at once, from a month back by default. */
    private static final Duration ABSENCES_BEFORE = Duration.ofDays(30);

    private static final Duration ABSENCES_SPAN = Duration.ofDays(365);

    private final AvailabilityRepository repository;
    private final ComputedAvailability computed;
    private final DirectoryAdministration administration;
    private final Directory directory;
    private final TenantScope scope;
    private final AgendaRights rights;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AgendaSettings(
            AvailabilityRepository repository,
            ComputedAvailability computed,
            DirectoryAdministration administration,
            Directory directory,
            TenantScope scope,
            AgendaRights rights,
            ApplicationEventPublisher events,
            Clock clock) {
        this.repository = repository;
        this.computed = computed;
        this.administration = administration;
        this.directory = directory;
        this.scope = scope;
        this.rights = rights;
        this.events = events;
        this.clock = clock;
    }

    public record NewOpeningRange(
            UUID practitionerId,
            UUID siteId,
            DayOfWeek weekday,
            LocalTime start,
            LocalTime end,
            LocalDate validFrom,
            LocalDate validUntil,
            Collection<UUID> motiveIds) {

        public NewOpeningRange {
            if (!end.isAfter(start)) {
                throw new InvalidInputException("end", "must be after start");
            }
            if (validUntil != null && validUntil.isBefore(validFrom)) {
                throw new InvalidInputException("validUntil", "must not be before validFrom");
            }
            if (motiveIds.isEmpty()) {
                throw new InvalidInputException("motiveIds", "must name at least one motive");
            }
            motiveIds = Set.copyOf(motiveIds);
        }
    }

    /** A weekly opening range as staff see it. */
    public record Range(
            UUID id,
            UUID siteId,
            DayOfWeek weekday,
            LocalTime start,
            LocalTime end,
            LocalDate validFrom,
            LocalDate validUntil,
            Set<UUID> motiveIds) {

        static Range of(OpeningRange r) {
            return new Range(
                    r.id(), r.siteId(), r.weekday(), r.start(), r.end(), r.validFrom(), r.validUntil(), r.motiveIds());
        }
    }

    /** An absence as staff of its organization see it. */
    public record Absence(UUID id, Instant from, Instant to, String reason) {}

    /** A new absence; the patients whose appointments it cancels may be told {@code patientMessage}. */
    public record NewAbsence(Instant from, Instant to, String reason, String patientMessage) {
        public NewAbsence {
            if (reason != null && reason.length() > 500) {
                throw new InvalidInputException("reason", "must have at most 500 characters");
            }
            if (patientMessage != null && patientMessage.length() > 500) {
                throw new InvalidInputException("patientMessage", "must have at most 500 characters");
            }
        }
    }

    /** When an agenda may be booked and cancelled online (motives may still override them). */
    public record Rules(int minNoticeMinutes, int horizonDays, int cancellationCutoffHours) {}

    public List<VisitMotive> motives(Caller.Staff staff, UUID practitionerId) {
        return scope.read(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            return directory.motivesOf(practitionerId);
        });
    }

    /**
     * The cancellation cut-offs (hours) the agenda's motives set themselves, by motive; a motive absent
     * from the map follows the agenda's rule.
     */
    public Map<UUID, Integer> ownCancellationCutoffs(Caller.Staff staff, UUID practitionerId) {
        return scope.read(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            return administration.ownCancellationCutoffs(practitionerId);
        });
    }

    /** The sites of the organization where this agenda may open a range. */
    public List<Site> sites(Caller.Staff staff, UUID practitionerId) {
        checkSettingsRight(staff, practitionerId);
        return directory.sitesOfOrganization(staff.organizationId());
    }

    /** The agenda's booking rules as they stand. */
    public Rules rules(Caller.Staff staff, UUID practitionerId) {
        checkSettingsRight(staff, practitionerId);
        BookingRules rules = directory
                .practitioner(practitionerId)
                .orElseThrow(() -> new NotFoundException("agenda"))
                .rules();
        return new Rules(
                (int) rules.minimumNotice().toMinutes(), (int) rules.horizon().toDays(), (int)
                        rules.cancellationCutoff().toHours());
    }

    /** Adds a motive after the agenda's others. */
    public VisitMotive createMotive(Caller.Staff staff, UUID practitionerId, NewMotive motive) {
        return scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            int position = directory.motivesOf(practitionerId).size();
            UUID id = administration.createMotive(staff.organizationId(), practitionerId, motive, position);
            changed(AgendaChanged.Kind.MOTIVE_CREATED, staff, practitionerId, id);
            return directory.motive(id).orElseThrow();
        });
    }

    public VisitMotive updateMotive(Caller.Staff staff, UUID practitionerId, UUID motiveId, NewMotive motive) {
        return scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            if (!administration.updateMotive(practitionerId, motiveId, motive)) {
                throw new NotFoundException("motive");
            }
            changed(AgendaChanged.Kind.MOTIVE_CHANGED, staff, practitionerId, motiveId);
            return directory.motive(motiveId).orElseThrow();
        });
    }

    public List<Range> openingRanges(Caller.Staff staff, UUID practitionerId) {
        return scope.read(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            return repository.rangesOf(List.of(practitionerId)).stream()
                    .map(Range::of)
                    .toList();
        });
    }

    /** Adds an opening range at one of the organization's sites, for motives of this agenda only. */
    public Range addOpeningRange(Caller.Staff staff, NewOpeningRange range) {
        UUID practitionerId = range.practitionerId();
        return scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            directory
                    .site(range.siteId())
                    .filter(s -> s.organizationId().equals(staff.organizationId()))
                    .orElseThrow(() -> new InvalidInputException("siteId", "is not a site of this organization"));
            Set<UUID> ownMotives = directory.motivesOf(practitionerId).stream()
                    .map(VisitMotive::id)
                    .collect(Collectors.toSet());
            if (!ownMotives.containsAll(range.motiveIds())) {
                throw new InvalidInputException("motiveIds", "must be motives of this agenda");
            }
            UUID id = addOpeningRange(staff.organizationId(), range);
            changed(AgendaChanged.Kind.OPENING_RANGE_ADDED, staff, practitionerId, id);
            return repository.rangesOf(List.of(practitionerId)).stream()
                    .filter(r -> r.id().equals(id))
                    .map(Range::of)
                    .findFirst()
                    .orElseThrow();
        });
    }

    public void removeOpeningRange(Caller.Staff staff, UUID practitionerId, UUID rangeId) {
        scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            if (!removeOpeningRange(staff.organizationId(), practitionerId, rangeId)) {
                throw new NotFoundException("opening range");
            }
            changed(AgendaChanged.Kind.OPENING_RANGE_REMOVED, staff, practitionerId, rangeId);
        });
    }

    /**
     * The agenda's absences over a window: from a month ago and for a year when not given, at most
     * 400 days.
     */
    public List<Absence> absences(Caller.Staff staff, UUID practitionerId, Instant from, Instant to) {
        Instant start = from != null ? from : clock.instant().minus(ABSENCES_BEFORE);
        Instant end = to != null ? to : start.plus(ABSENCES_SPAN);
        TimeWindow window = TimeWindow.bounded(start, end, 400);
        return scope.read(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            return repository.absencesOf(practitionerId, window).stream()
                    .map(a -> new Absence(a.id(), a.from(), a.to(), a.reason()))
                    .toList();
        });
    }

    /** Adds an absence; the appointments it covers are cancelled, each with its own event. */
    public Absence addAbsence(Caller.Staff staff, UUID practitionerId, NewAbsence absence) {
        return scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            UUID id = addAbsence(
                    staff.organizationId(),
                    practitionerId,
                    absence.from(),
                    absence.to(),
                    absence.reason(),
                    absence.patientMessage(),
                    staff.accountId());
            changed(AgendaChanged.Kind.ABSENCE_ADDED, staff, practitionerId, id);
            return new Absence(id, absence.from(), absence.to(), absence.reason());
        });
    }

    public void removeAbsence(Caller.Staff staff, UUID practitionerId, UUID absenceId) {
        scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            if (repository.deleteAbsence(practitionerId, absenceId) == 0) {
                throw new NotFoundException("absence");
            }
            changed(AgendaChanged.Kind.ABSENCE_REMOVED, staff, practitionerId, absenceId);
        });
    }

    public void updateRules(Caller.Staff staff, UUID practitionerId, Rules rules) {
        scope.write(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            administration.updateRules(
                    practitionerId, rules.minNoticeMinutes(), rules.horizonDays(), rules.cancellationCutoffHours());
            changed(AgendaChanged.Kind.RULES_CHANGED, staff, practitionerId, practitionerId);
        });
    }

    /** Adds an opening range, in the scope the caller opened; returns its id. */
    public UUID addOpeningRange(UUID organizationId, NewOpeningRange r) {
        UUID id = UUID.randomUUID();
        repository.lockRanges(r.practitionerId());
        repository.insertRange(
                id,
                organizationId,
                r.practitionerId(),
                r.siteId(),
                r.weekday(),
                r.start(),
                r.end(),
                r.validFrom(),
                r.validUntil(),
                r.motiveIds());
        consultationSitesChanged(organizationId, r.practitionerId());
        return id;
    }

    /** Removes an opening range of an agenda, in the scope the caller opened; false when it has no such range. */
    public boolean removeOpeningRange(UUID organizationId, UUID practitionerId, UUID rangeId) {
        repository.lockRanges(practitionerId);
        if (repository.deleteRange(practitionerId, rangeId) == 0) {
            return false;
        }
        consultationSitesChanged(organizationId, practitionerId);
        return true;
    }

    public UUID addAbsence(UUID organizationId, UUID practitionerId, Instant from, Instant to, String reason) {
        return addAbsence(organizationId, practitionerId, from, to, reason, null, null);
    }

    /**
     * Adds an absence, in the scope the caller opened; the appointments it covers are cancelled in
     * the same transaction by whoever listens to {@link AbsenceAdded} (the booking module).
     */
    public UUID addAbsence(
            UUID organizationId,
            UUID practitionerId,
            Instant from,
            Instant to,
            String reason,
            String patientMessage,
            UUID actor) {
        if (!to.isAfter(from)) {
            throw new InvalidInputException("to", "must be after from");
        }
        if (Duration.between(from, to).toDays() > 366) {
            throw new InvalidInputException("to", "an absence lasts at most a year");
        }
        UUID id = UUID.randomUUID();
        repository.insertAbsence(id, organizationId, practitionerId, from, to, reason);
        computed.agendaChanged(practitionerId);
        events.publishEvent(new AbsenceAdded(id, organizationId, practitionerId, from, to, patientMessage, actor));
        return id;
    }

    /** The directory states where a practitioner consults: the sites of their ranges, kept in step here. */
    private void consultationSitesChanged(UUID organizationId, UUID practitionerId) {
        administration.setConsultationSites(organizationId, practitionerId, repository.rangeSites(practitionerId));
        computed.agendaChanged(practitionerId);
    }

    /** The right checked in a read of its own, for what then reads the public directory. */
    private void checkSettingsRight(Caller.Staff staff, UUID practitionerId) {
        scope.read(staff, () -> {
            requireSettingsRight(staff, practitionerId);
            return null;
        });
    }

    private void requireSettingsRight(Caller.Staff staff, UUID practitionerId) {
        rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
    }

    private void changed(AgendaChanged.Kind kind, Caller.Staff staff, UUID practitionerId, UUID objectId) {
        events.publishEvent(new AgendaChanged(
                kind, staff.organizationId(), practitionerId, objectId, staff.accountId(), clock.instant()));
    }
}
