package org.creneau.booking.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.booking.AppointmentStatus;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeParameter;
import org.creneau.platform.TimeWindow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A patient's appointments: hold, confirm, cancel, move, list. */
@RestController
@RequestMapping("/api/v1")
class AppointmentController {

    /** The longest window a list of appointments may span. */
    static final int MAX_LIST_DAYS = 400;

    private final AppointmentBook book;
    private final AccessPolicy policy;
    private final Clock clock;
    private final ZoneId dayZone;

    AppointmentController(
            AppointmentBook book,
            AccessPolicy policy,
            Clock clock,
            @Value("${creneau.default-time-zone:Europe/Paris}") String dayZone) {
        this.book = book;
        this.policy = policy;
        this.clock = clock;
        this.dayZone = ZoneId.of(dayZone);
    }

    record NewAppointment(
            @NotNull UUID practitionerId,
            @NotNull UUID siteId,
            @NotNull UUID motiveId,
            @NotNull OffsetDateTime start,
            UUID relativeId) {}

    record Cancellation(@NotNull @Size(min = 1, max = 500) String reason) {}

    record Move(@NotNull OffsetDateTime start, UUID siteId) {}

    record AppointmentView(
            UUID id,
            AppointmentStatus status,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            UUID patientId,
            String specialty,
            Instant start,
            Instant end,
            Instant expiresAt,
            String cancelReason) {
        static AppointmentView of(Appointment a) {
            return new AppointmentView(
                    a.id(),
                    a.status(),
                    a.practitionerId(),
                    a.siteId(),
                    a.motiveId(),
                    a.patientId(),
                    a.specialtyCode(),
                    a.start(),
                    a.end(),
                    a.holdExpiresAt(),
                    a.cancelReason());
        }
    }

    @Journaled(purpose = "book", resource = Resource.APPOINTMENT, outcome = Outcome.CREATED)
    @PostMapping("/appointments")
    ResponseEntity<AppointmentView> hold(@Valid @RequestBody NewAppointment body) {
        Appointment held = book.hold(
                policy.requirePatient(),
                new AppointmentBook.HoldRequest(
                        body.practitionerId(),
                        body.siteId(),
                        body.motiveId(),
                        body.start().toInstant(),
                        body.relativeId()));
        return ResponseEntity.created(URI.create("/api/v1/appointments/" + held.id()))
                .body(AppointmentView.of(held));
    }

    @Journaled(purpose = "view own appointment", resource = Resource.APPOINTMENT)
    @GetMapping("/appointments/{id}")
    AppointmentView one(@PathVariable UUID id) {
        return AppointmentView.of(book.one(policy.requirePatient(), id));
    }

    @Journaled(purpose = "book", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/confirm")
    AppointmentView confirm(@PathVariable UUID id) {
        return AppointmentView.of(book.confirm(policy.requirePatient(), id));
    }

    @Journaled(purpose = "cancel", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/cancel")
    AppointmentView cancel(@PathVariable UUID id, @Valid @RequestBody Cancellation body) {
        return AppointmentView.of(book.cancel(policy.requirePatient(), id, body.reason()));
    }

    @Journaled(purpose = "reschedule", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/reschedule")
    AppointmentView reschedule(@PathVariable UUID id, @Valid @RequestBody Move body) {
        return AppointmentView.of(
                book.reschedule(policy.requirePatient(), id, body.start().toInstant(), body.siteId()));
    }

    @Journaled(purpose = "list own appointments", resource = Resource.APPOINTMENT)
    @GetMapping("/me/appointments")
    Page<AppointmentView> mine(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        TimeWindow window = TimeParameter.window(
                from,
                to,
                clock.instant().minus(Duration.ofDays(30)),
                Duration.ofDays(MAX_LIST_DAYS),
                MAX_LIST_DAYS,
                dayZone);
        Page<Appointment> found = book.mine(policy.requirePatient(), window, paging);
        return new Page<>(found.items().stream().map(AppointmentView::of).toList(), found.page());
    }
}
