package org.creneau.booking.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.booking.AgendaWaitlist;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.PracticeDesk;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.OrgPatients;
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

/**
 * The practice's desk: an agenda's appointments, booking for a patient who phoned, moving,
 * cancelling, and what happened (arrived, seen, no-show). Each route checks the caller's right
 * on the agenda; without it the appointment or agenda does not exist for them.
 */
@RestController
@RequestMapping("/api/v1/staff")
class PracticeDeskController {

    static final int MAX_AGENDA_DAYS = 31;

    private final PracticeDesk desk;
    private final AgendaWaitlist waitlist;
    private final AccessPolicy policy;
    private final Clock clock;
    private final ZoneId dayZone;

    PracticeDeskController(
            PracticeDesk desk,
            AgendaWaitlist waitlist,
            AccessPolicy policy,
            Clock clock,
            @Value("${creneau.default-time-zone:Europe/Paris}") String dayZone) {
        this.desk = desk;
        this.waitlist = waitlist;
        this.policy = policy;
        this.clock = clock;
        this.dayZone = ZoneId.of(dayZone);
    }

    record NewPatient(
            @NotNull @Size(min = 1, max = 100) String firstName,
            @NotNull @Size(min = 1, max = 100) String lastName,
            @NotNull @Past LocalDate birthDate,
            @NotNull @Size(max = 20) String phone,
            @Size(max = 254) String email) {}

    record DeskBookingBody(
            @NotNull UUID motiveId,
            @NotNull UUID siteId,
            @NotNull OffsetDateTime start,
            UUID orgPatientId,
            @Valid NewPatient patient) {}

    record Move(@NotNull OffsetDateTime start, UUID siteId) {}

    record Cancellation(@NotNull @Size(min = 1, max = 500) String reason) {}

    record AgendaItem(
            UUID id,
            AppointmentStatus status,
            UUID siteId,
            UUID motiveId,
            UUID orgPatientId,
            String patientFirstName,
            String patientLastName,
            String patientPhone,
            boolean bookedOnline,
            Instant start,
            Instant end,
            String cancelReason) {
        static AgendaItem of(PracticeDesk.DeskAppointment a) {
            return new AgendaItem(
                    a.id(),
                    a.status(),
                    a.siteId(),
                    a.motiveId(),
                    a.orgPatientId(),
                    a.patientFirstName(),
                    a.patientLastName(),
                    a.patientPhone(),
                    a.bookedOnline(),
                    a.start(),
                    a.end(),
                    a.cancelReason());
        }
    }

    record DeskAppointment(
            UUID id,
            AppointmentStatus status,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            UUID orgPatientId,
            Instant start,
            Instant end,
            String cancelReason) {
        static DeskAppointment of(PracticeDesk.DeskAppointment a) {
            return new DeskAppointment(
                    a.id(),
                    a.status(),
                    a.practitionerId(),
                    a.siteId(),
                    a.motiveId(),
                    a.orgPatientId(),
                    a.start(),
                    a.end(),
                    a.cancelReason());
        }
    }

    record WaitlistItem(
            UUID id,
            UUID motiveId,
            UUID orgPatientId,
            String patientFirstName,
            String patientLastName,
            AgendaWaitlist.State status,
            Instant since,
            UUID offeredAppointmentId,
            Instant offerExpiresAt) {
        static WaitlistItem of(AgendaWaitlist.Waiting w) {
            return new WaitlistItem(
                    w.id(),
                    w.motiveId(),
                    w.orgPatientId(),
                    w.patientFirstName(),
                    w.patientLastName(),
                    w.state(),
                    w.since(),
                    w.offeredAppointmentId(),
                    w.offerExpiresAt());
        }
    }

    @Journaled(purpose = "agenda", resource = Resource.APPOINTMENT)
    @GetMapping("/agendas/{practitionerId}/appointments")
    Page<AgendaItem> agenda(
            @PathVariable UUID practitionerId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        Instant today = clock.instant()
                .atZone(dayZone)
                .toLocalDate()
                .atStartOfDay(dayZone)
                .toInstant();
        TimeWindow window = TimeParameter.window(from, to, today, Duration.ofDays(1), MAX_AGENDA_DAYS, dayZone);
        Page<PracticeDesk.DeskAppointment> rows = desk.agenda(policy.requireStaff(), practitionerId, window, paging);
        return new Page<>(rows.items().stream().map(AgendaItem::of).toList(), rows.page());
    }

    @Journaled(purpose = "book for a patient", resource = Resource.APPOINTMENT, outcome = Outcome.CREATED)
    @PostMapping("/agendas/{practitionerId}/appointments")
    ResponseEntity<DeskAppointment> bookForPatient(
            @PathVariable UUID practitionerId, @Valid @RequestBody DeskBookingBody body) {
        OrgPatients.NewOrgPatient newPatient = body.patient() == null
                ? null
                : new OrgPatients.NewOrgPatient(
                        body.patient().firstName(),
                        body.patient().lastName(),
                        body.patient().birthDate(),
                        body.patient().phone(),
                        body.patient().email());
        PracticeDesk.DeskAppointment booked = desk.book(
                policy.requireStaff(),
                new PracticeDesk.Booking(
                        practitionerId,
                        body.motiveId(),
                        body.siteId(),
                        body.start().toInstant(),
                        body.orgPatientId(),
                        newPatient));
        return ResponseEntity.created(URI.create("/api/v1/staff/appointments/" + booked.id()))
                .body(DeskAppointment.of(booked));
    }

    @Journaled(purpose = "waitlist", resource = Resource.WAITLIST_ENTRY)
    @GetMapping("/agendas/{practitionerId}/waitlist")
    Page<WaitlistItem> waitlist(
            @PathVariable UUID practitionerId,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Page<AgendaWaitlist.Waiting> entries =
                waitlist.ofAgenda(policy.requireStaff(), practitionerId, Paging.of(page, size));
        return new Page<>(entries.items().stream().map(WaitlistItem::of).toList(), entries.page());
    }

    @Journaled(purpose = "view appointment", resource = Resource.APPOINTMENT)
    @GetMapping("/appointments/{id}")
    DeskAppointment one(@PathVariable UUID id) {
        DeskAppointment result = DeskAppointment.of(desk.one(policy.requireStaff(), id));
        return result;
    }

    @Journaled(purpose = "move", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/move")
    DeskAppointment move(@PathVariable UUID id, @Valid @RequestBody Move body) {
        DeskAppointment result = DeskAppointment.of(
                desk.move(policy.requireStaff(), id, body.start().toInstant(), body.siteId()));
        return result;
    }

    @Journaled(purpose = "cancel", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/cancel")
    DeskAppointment cancel(@PathVariable UUID id, @Valid @RequestBody Cancellation body) {
        DeskAppointment result = DeskAppointment.of(desk.cancel(policy.requireStaff(), id, body.reason()));
        return result;
    }

    @Journaled(purpose = "arrival", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/arrived")
    DeskAppointment arrived(@PathVariable UUID id) {
        DeskAppointment result = DeskAppointment.of(desk.mark(policy.requireStaff(), id, AppointmentStatus.ARRIVED));
        return result;
    }

    @Journaled(purpose = "seen", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/seen")
    DeskAppointment seen(@PathVariable UUID id) {
        DeskAppointment result = DeskAppointment.of(desk.mark(policy.requireStaff(), id, AppointmentStatus.SEEN));
        return result;
    }

    @Journaled(purpose = "no-show", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED)
    @PostMapping("/appointments/{id}/no-show")
    DeskAppointment noShow(@PathVariable UUID id) {
        DeskAppointment result = DeskAppointment.of(desk.mark(policy.requireStaff(), id, AppointmentStatus.NO_SHOW));
        return result;
    }
}
