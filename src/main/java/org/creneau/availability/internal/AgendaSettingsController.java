package org.creneau.availability.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.availability.AgendaSettings;
import org.creneau.availability.AgendaSettings.Absence;
import org.creneau.availability.AgendaSettings.NewAbsence;
import org.creneau.availability.AgendaSettings.NewOpeningRange;
import org.creneau.availability.AgendaSettings.Range;
import org.creneau.availability.AgendaSettings.Rules;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.TimeParameter;
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
 * An agenda's settings over HTTP, for staff holding the "manage agenda settings" right on it:
 * motives, weekly opening ranges, absences and booking rules. {@link AgendaSettings} checks the right
 * and makes each change; this maps requests and answers.
 */
@RestController
@RequestMapping("/api/v1/staff/agendas/{practitionerId}")
class AgendaSettingsController {

    private final AccessPolicy policy;
    private final AgendaSettings settings;

    AgendaSettingsController(AccessPolicy policy, AgendaSettings settings) {
        this.policy = policy;
        this.settings = settings;
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
        static RangeView of(Range r) {
            return new RangeView(
                    r.id(), r.siteId(), r.weekday(), r.start(), r.end(), r.validFrom(), r.validUntil(), r.motiveIds());
        }
    }

    record AbsenceBody(
            @NotNull OffsetDateTime from,
            @NotNull OffsetDateTime to,
            @Size(max = 500) String reason,
            @Size(max = 500) String patientMessage) {}

    record AbsenceView(UUID id, Instant from, Instant to, String reason) {
        static AbsenceView of(Absence a) {
            return new AbsenceView(a.id(), a.from(), a.to(), a.reason());
        }
    }

    record RulesBody(
            @NotNull @Min(0) @Max(43200) Integer minNoticeMinutes,
            @NotNull @Min(1) @Max(730) Integer horizonDays,
            @NotNull @Min(0) @Max(720) Integer cancellationCutoffHours) {}

    @GetMapping("/motives")
    List<MotiveView> motives(@PathVariable UUID practitionerId) {
        return settings.motives(policy.requireStaff(), practitionerId).stream()
                .map(MotiveView::of)
                .toList();
    }

    @PostMapping("/motives")
    ResponseEntity<MotiveView> createMotive(@PathVariable UUID practitionerId, @Valid @RequestBody MotiveBody body) {
        VisitMotive created = settings.createMotive(policy.requireStaff(), practitionerId, body.toMotive());
        return ResponseEntity.status(201).body(MotiveView.of(created));
    }

    @PutMapping("/motives/{motiveId}")
    MotiveView updateMotive(
            @PathVariable UUID practitionerId, @PathVariable UUID motiveId, @Valid @RequestBody MotiveBody body) {
        return MotiveView.of(settings.updateMotive(policy.requireStaff(), practitionerId, motiveId, body.toMotive()));
    }

    @GetMapping("/opening-ranges")
    List<RangeView> ranges(@PathVariable UUID practitionerId) {
        return settings.openingRanges(policy.requireStaff(), practitionerId).stream()
                .map(RangeView::of)
                .toList();
    }

    @PostMapping("/opening-ranges")
    ResponseEntity<RangeView> addRange(@PathVariable UUID practitionerId, @Valid @RequestBody RangeBody body) {
        NewOpeningRange range = new NewOpeningRange(
                practitionerId,
                body.siteId(),
                body.weekday(),
                body.start(),
                body.end(),
                body.validFrom(),
                body.validUntil(),
                body.motiveIds());
        Range created = settings.addOpeningRange(policy.requireStaff(), range);
        return ResponseEntity.status(201).body(RangeView.of(created));
    }

    @DeleteMapping("/opening-ranges/{rangeId}")
    ResponseEntity<Void> removeRange(@PathVariable UUID practitionerId, @PathVariable UUID rangeId) {
        settings.removeOpeningRange(policy.requireStaff(), practitionerId, rangeId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/absences")
    List<AbsenceView> absences(
            @PathVariable UUID practitionerId,
            @RequestParam(required = false) OffsetDateTime from,
            @RequestParam(required = false) OffsetDateTime to) {
        Instant start = from == null ? null : TimeParameter.requireInRange("from", from.toInstant());
        Instant end = to == null ? null : TimeParameter.requireInRange("to", to.toInstant());
        return settings.absences(policy.requireStaff(), practitionerId, start, end).stream()
                .map(AbsenceView::of)
                .toList();
    }

    /** Adds an absence; the appointments it covers are cancelled, each with its own event. */
    @PostMapping("/absences")
    ResponseEntity<AbsenceView> addAbsence(@PathVariable UUID practitionerId, @Valid @RequestBody AbsenceBody body) {
        Absence created = settings.addAbsence(
                policy.requireStaff(),
                practitionerId,
                new NewAbsence(body.from().toInstant(), body.to().toInstant(), body.reason(), body.patientMessage()));
        return ResponseEntity.status(201).body(AbsenceView.of(created));
    }

    @DeleteMapping("/absences/{absenceId}")
    ResponseEntity<Void> removeAbsence(@PathVariable UUID practitionerId, @PathVariable UUID absenceId) {
        settings.removeAbsence(policy.requireStaff(), practitionerId, absenceId);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/rules")
    RulesBody rules(@PathVariable UUID practitionerId, @Valid @RequestBody RulesBody body) {
        settings.updateRules(
                policy.requireStaff(),
                practitionerId,
                new Rules(body.minNoticeMinutes(), body.horizonDays(), body.cancellationCutoffHours()));
        return body;
    }
}
