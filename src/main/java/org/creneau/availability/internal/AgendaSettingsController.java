package org.creneau.availability.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaChanged;
import org.creneau.availability.AgendaSettings;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeParameter;
import org.creneau.platform.TimeWindow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An agenda's settings, for staff holding the "manage agenda settings" right on it: motives,
 * weekly opening ranges, absences and booking rules. Each change is one transaction and one event.
 */
@RestController
@RequestMapping("/api/v1/staff/agendas/{practitionerId}")
class AgendaSettingsController {

    private final AccessPolicy policy;
    private final AgendaRights rights;
    private final TenantScope scope;
    private final AgendaSettings settings;
    private final AvailabilityRepository repository;
    private final DirectoryAdministration administration;
    private final Directory directory;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AgendaSettingsController(
            AccessPolicy policy,
            AgendaRights rights,
            TenantScope scope,
            AgendaSettings settings,
            AvailabilityRepository repository,
            DirectoryAdministration administration,
            Directory directory,
            ApplicationEventPublisher events,
            Clock clock) {
        this.policy = policy;
        this.rights = rights;
        this.scope = scope;
        this.settings = settings;
        this.repository = repository;
        this.administration = administration;
        this.directory = directory;
        this.events = events;
        this.clock = clock;
    }

    record MotiveBody(
            @NotBlank @Size(max = 200) String label,
            @NotNull @Min(5) @Max(480) Integer durationMinutes,
            boolean onlineBookable,
            boolean newPatientsAllowed,
            @Size(max = 2000) String instructions,
            @Min(0) @Max(720) Integer cancellationCutoffHours) {
        NewMotive toMotive() {
            return new NewMotive(
                    label, durationMinutes, onlineBookable, newPatientsAllowed, instructions, cancellationCutoffHours);
        }
    }

    record MotiveView(
            UUID id,
            String label,
            long durationMinutes,
            boolean onlineBookable,
            boolean newPatientsAllowed,
            String instructions) {
        static MotiveView of(VisitMotive m) {
            return new MotiveView(
                    m.id(),
                    m.label(),
                    m.duration().toMinutes(),
                    m.onlineBookable(),
                    m.newPatientsAllowed(),
                    m.instructions());
        }
    }

    record RangeBody(
            @NotNull UUID siteId,
            @NotNull DayOfWeek weekday,
            @NotNull LocalTime start,
            @NotNull LocalTime end,
            @NotNull LocalDate validFrom,
            LocalDate validUntil,
            @NotEmpty @Size(max = 50) List<UUID> motiveIds) {}

    record RangeView(
            UUID id,
            UUID siteId,
            DayOfWeek weekday,
            LocalTime start,
            LocalTime end,
            LocalDate validFrom,
            LocalDate validUntil,
            Set<UUID> motiveIds) {
        static RangeView of(OpeningRange r) {
            return new RangeView(
                    r.id(), r.siteId(), r.weekday(), r.start(), r.end(), r.validFrom(), r.validUntil(), r.motiveIds());
        }
    }

    record AbsenceBody(
            @NotNull OffsetDateTime from,
            @NotNull OffsetDateTime to,
            @Size(max = 500) String reason,
            @Size(max = 500) String patientMessage) {}

    record AbsenceView(UUID id, Instant from, Instant to, String reason) {}

    record RulesBody(
            @NotNull @Min(0) @Max(43200) Integer minNoticeMinutes,
            @NotNull @Min(1) @Max(730) Integer horizonDays,
            @NotNull @Min(0) @Max(720) Integer cancellationCutoffHours) {}

    @GetMapping("/motives")
    List<MotiveView> motives(@PathVariable UUID practitionerId) {
        Caller.Staff staff = policy.requireStaff();
        return scope.read(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            return directory.motivesOf(practitionerId).stream()
                    .map(MotiveView::of)
                    .toList();
        });
    }

    @PostMapping("/motives")
    ResponseEntity<MotiveView> createMotive(@PathVariable UUID practitionerId, @Valid @RequestBody MotiveBody body) {
        Caller.Staff staff = policy.requireStaff();
        NewMotive motive = body.toMotive();
        MotiveView created = scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            int position = directory.motivesOf(practitionerId).size();
            UUID id = administration.createMotive(staff.organizationId(), practitionerId, motive, position);
            changed(AgendaChanged.Kind.MOTIVE_CREATED, staff, practitionerId, id);
            return MotiveView.of(directory.motive(id).orElseThrow());
        });
        return ResponseEntity.status(201).body(created);
    }

    @PutMapping("/motives/{motiveId}")
    MotiveView updateMotive(
            @PathVariable UUID practitionerId, @PathVariable UUID motiveId, @Valid @RequestBody MotiveBody body) {
        Caller.Staff staff = policy.requireStaff();
        NewMotive motive = body.toMotive();
        return scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            if (!administration.updateMotive(practitionerId, motiveId, motive)) {
                throw new NotFoundException("motive");
            }
            changed(AgendaChanged.Kind.MOTIVE_CHANGED, staff, practitionerId, motiveId);
            return MotiveView.of(directory.motive(motiveId).orElseThrow());
        });
    }

    @GetMapping("/opening-ranges")
    List<RangeView> ranges(@PathVariable UUID practitionerId) {
        Caller.Staff staff = policy.requireStaff();
        return scope.read(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            return repository.rangesOf(List.of(practitionerId)).stream()
                    .map(RangeView::of)
                    .toList();
        });
    }

    @PostMapping("/opening-ranges")
    ResponseEntity<RangeView> addRange(@PathVariable UUID practitionerId, @Valid @RequestBody RangeBody body) {
        Caller.Staff staff = policy.requireStaff();
        AgendaSettings.NewOpeningRange range = new AgendaSettings.NewOpeningRange(
                practitionerId,
                body.siteId(),
                body.weekday(),
                body.start(),
                body.end(),
                body.validFrom(),
                body.validUntil(),
                Set.copyOf(body.motiveIds()));
        if (body.validUntil() != null && body.validUntil().isBefore(body.validFrom())) {
            throw new InvalidInputException("validUntil", "must not be before validFrom");
        }
        RangeView created = scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            Site site = directory
                    .site(body.siteId())
                    .filter(s -> s.organizationId().equals(staff.organizationId()))
                    .orElseThrow(() -> new InvalidInputException("siteId", "is not a site of this organization"));
            Set<UUID> ownMotives = directory.motivesOf(practitionerId).stream()
                    .map(VisitMotive::id)
                    .collect(java.util.stream.Collectors.toSet());
            if (!ownMotives.containsAll(body.motiveIds())) {
                throw new InvalidInputException("motiveIds", "must be motives of this agenda");
            }
            UUID id = settings.addOpeningRange(staff.organizationId(), range);
            changed(AgendaChanged.Kind.OPENING_RANGE_ADDED, staff, practitionerId, id);
            return repository.rangesOf(List.of(practitionerId)).stream()
                    .filter(r -> r.id().equals(id) && r.siteId().equals(site.id()))
                    .map(RangeView::of)
                    .findFirst()
                    .orElseThrow();
        });
        return ResponseEntity.status(201).body(created);
    }

    @DeleteMapping("/opening-ranges/{rangeId}")
    ResponseEntity<Void> removeRange(@PathVariable UUID practitionerId, @PathVariable UUID rangeId) {
        Caller.Staff staff = policy.requireStaff();
        scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            if (!settings.removeOpeningRange(staff.organizationId(), practitionerId, rangeId)) {
                throw new NotFoundException("opening range");
            }
            changed(AgendaChanged.Kind.OPENING_RANGE_REMOVED, staff, practitionerId, rangeId);
        });
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/absences")
    List<AbsenceView> absences(
            @PathVariable UUID practitionerId,
            @RequestParam(required = false) OffsetDateTime from,
            @RequestParam(required = false) OffsetDateTime to) {
        Caller.Staff staff = policy.requireStaff();
        Instant start = from != null
                ? TimeParameter.requireInRange("from", from.toInstant())
                : clock.instant().minus(Duration.ofDays(30));
        Instant end =
                to != null ? TimeParameter.requireInRange("to", to.toInstant()) : start.plus(Duration.ofDays(365));
        TimeWindow window = TimeWindow.bounded(start, end, 400);
        return scope.read(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            return repository.absencesOf(practitionerId, window).stream()
                    .map(a -> new AbsenceView(a.id(), a.from(), a.to(), a.reason()))
                    .toList();
        });
    }

    /** Adds an absence; the appointments it covers are cancelled, each with its own event. */
    @PostMapping("/absences")
    ResponseEntity<AbsenceView> addAbsence(@PathVariable UUID practitionerId, @Valid @RequestBody AbsenceBody body) {
        Caller.Staff staff = policy.requireStaff();
        AbsenceView created = scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            UUID id = settings.addAbsence(
                    staff.organizationId(),
                    practitionerId,
                    body.from().toInstant(),
                    body.to().toInstant(),
                    body.reason(),
                    body.patientMessage(),
                    staff.accountId());
            changed(AgendaChanged.Kind.ABSENCE_ADDED, staff, practitionerId, id);
            return new AbsenceView(id, body.from().toInstant(), body.to().toInstant(), body.reason());
        });
        return ResponseEntity.status(201).body(created);
    }

    @DeleteMapping("/absences/{absenceId}")
    ResponseEntity<Void> removeAbsence(@PathVariable UUID practitionerId, @PathVariable UUID absenceId) {
        Caller.Staff staff = policy.requireStaff();
        scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            if (repository.deleteAbsence(practitionerId, absenceId) == 0) {
                throw new NotFoundException("absence");
            }
            changed(AgendaChanged.Kind.ABSENCE_REMOVED, staff, practitionerId, absenceId);
        });
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/rules")
    RulesBody rules(@PathVariable UUID practitionerId, @Valid @RequestBody RulesBody body) {
        Caller.Staff staff = policy.requireStaff();
        scope.write(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.MANAGE_SETTINGS);
            administration.updateRules(
                    practitionerId, body.minNoticeMinutes(), body.horizonDays(), body.cancellationCutoffHours());
            changed(AgendaChanged.Kind.RULES_CHANGED, staff, practitionerId, practitionerId);
        });
        return body;
    }

    private void changed(AgendaChanged.Kind kind, Caller.Staff staff, UUID practitionerId, UUID objectId) {
        events.publishEvent(new AgendaChanged(
                kind, staff.organizationId(), practitionerId, objectId, staff.accountId(), clock.instant()));
    }
}
