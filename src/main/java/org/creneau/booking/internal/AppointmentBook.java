package org.creneau.booking.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.AppointmentEvent;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.BookingLimits;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.VisitMotive;
import org.creneau.patients.Patients;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The appointment book: every change of an appointment goes through here, inside the caller's
 * scope, and publishes an {@link AppointmentEvent} in the same transaction.
 */
@Service
class AppointmentBook {

    private static final String EXCLUSION_VIOLATION = "23P01";

    private final AppointmentRepository repository;
    private final SlotFinder slots;
    private final Directory directory;
    private final Patients patients;
    private final TenantScope scope;
    private final ApplicationEventPublisher events;
    private final BookingLimits limits;
    private final Clock clock;

    AppointmentBook(
            AppointmentRepository repository,
            SlotFinder slots,
            Directory directory,
            Patients patients,
            TenantScope scope,
            ApplicationEventPublisher events,
            BookingLimits limits,
            Clock clock) {
        this.repository = repository;
        this.slots = slots;
        this.directory = directory;
        this.patients = patients;
        this.scope = scope;
        this.events = events;
        this.limits = limits;
        this.clock = clock;
    }

    record HoldRequest(UUID practitionerId, UUID siteId, UUID motiveId, Instant start, UUID relativeId) {}

    /** Holds a free slot for {@link BookingLimits#holdMinutes()} minutes, for the patient or a relative. */
    Appointment hold(Caller.Patient caller, HoldRequest request) {
        return scope.write(caller, () -> {
            Instant now = clock.instant();
            UUID patientId = patients.bookablePerson(caller.accountId(), request.relativeId())
                    .orElseThrow(() -> new NotFoundException("relative"));
            Practitioner practitioner = directory
                    .practitioner(request.practitionerId())
                    .orElseThrow(() -> new NotFoundException("practitioner"));
            VisitMotive motive = directory
                    .motive(request.motiveId())
                    .filter(m -> m.practitionerId().equals(practitioner.id()))
                    .orElseThrow(() -> new NotFoundException("motive"));
            if (!motive.onlineBookable()) {
                throw new ConflictException("not-bookable-online", "This motive cannot be booked online.");
            }
            if ((!motive.newPatientsAllowed() || !practitioner.acceptsNewPatients())
                    && !repository.hasSeen(patientId, practitioner.id(), now)) {
                throw new ConflictException(
                        "new-patients-not-accepted",
                        "This practitioner only books patients already seen for this motive.");
            }
            repository.lockPerson(patientId);
            repository.releaseExpiredHolds(practitioner.id(), now);
            Slot slot = slots.slotAt(practitioner.id(), motive.id(), request.siteId(), request.start(), null)
                    .orElseThrow(() -> new ConflictException("slot-unavailable", "This slot is not free."));
            checkAntiHoarding(patientId, practitioner.specialty().code(), slot.start(), null, now);
            Appointment held = new Appointment(
                    UUID.randomUUID(),
                    practitioner.organizationId(),
                    practitioner.id(),
                    slot.siteId(),
                    motive.id(),
                    practitioner.specialty().code(),
                    patientId,
                    caller.accountId(),
                    slot.start(),
                    slot.end(),
                    AppointmentStatus.HELD,
                    now.plus(Duration.ofMinutes(limits.holdMinutes())),
                    null,
                    1);
            insertOrConflict(held, now);
            publish(AppointmentEvent.Kind.HELD, held, caller.accountId(), held.start(), null, now);
            return held;
        });
    }

    Appointment confirm(Caller.Patient caller, UUID id) {
        return scope.write(caller, () -> {
            Instant now = clock.instant();
            Appointment a = repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
            if (a.status() == AppointmentStatus.BOOKED) {
                return a;
            }
            if (a.status() != AppointmentStatus.HELD) {
                throw new ConflictException("not-held", "Only a held appointment can be confirmed.");
            }
            if (!a.holdExpiresAt().isAfter(now)) {
                throw new ConflictException("hold-expired", "The hold has expired; choose a slot again.");
            }
            repository.confirm(id, now);
            publish(AppointmentEvent.Kind.BOOKED, a, caller.accountId(), a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    Appointment cancel(Caller.Patient caller, UUID id, String reason) {
        String why = requireReason(reason);
        return scope.write(caller, () -> {
            Instant now = clock.instant();
            Appointment a = repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
            if (a.status() != AppointmentStatus.BOOKED && a.status() != AppointmentStatus.HELD) {
                throw new ConflictException("not-cancellable", "This appointment is not booked.");
            }
            if (a.status() == AppointmentStatus.BOOKED) {
                checkCutoff(a, now);
            }
            repository.cancel(id, why, "PATIENT", now);
            publish(AppointmentEvent.Kind.CANCELLED, a, caller.accountId(), a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    /** Moves an appointment: the new slot is taken and the old one freed together, or nothing changes. */
    Appointment reschedule(Caller.Patient caller, UUID id, Instant newStart, UUID newSiteId) {
        if (newStart == null) {
            throw new InvalidInputException("start", "is required");
        }
        return scope.write(caller, () -> {
            Instant now = clock.instant();
            Appointment a = repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
            if (a.status() != AppointmentStatus.BOOKED && a.status() != AppointmentStatus.HELD) {
                throw new ConflictException("not-movable", "This appointment is not booked.");
            }
            if (a.status() == AppointmentStatus.BOOKED) {
                checkCutoff(a, now);
            }
            if (a.status() == AppointmentStatus.HELD && !a.holdExpiresAt().isAfter(now)) {
                throw new ConflictException("hold-expired", "The hold has expired; choose a slot again.");
            }
            UUID site = newSiteId != null ? newSiteId : a.siteId();
            repository.lockPerson(a.patientId());
            repository.releaseExpiredHolds(a.practitionerId(), now);
            Slot slot = slots.slotAt(a.practitionerId(), a.motiveId(), site, newStart, a.id())
                    .orElseThrow(() -> new ConflictException("slot-unavailable", "This slot is not free."));
            checkAntiHoarding(a.patientId(), a.specialtyCode(), slot.start(), a.id(), now);
            try {
                repository.move(id, slot.siteId(), slot.start(), slot.end(), now);
            } catch (DataIntegrityViolationException e) {
                throw slotTakenOr(e);
            }
            publish(AppointmentEvent.Kind.RESCHEDULED, a, caller.accountId(), slot.start(), a.start(), now);
            return repository.find(id).orElseThrow();
        });
    }

    /** The practice marks that the patient did not come. */
    Appointment markNoShow(Caller.Staff caller, UUID id) {
        return scope.write(caller, () -> {
            Instant now = clock.instant();
            Appointment a = repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
            if (a.status() != AppointmentStatus.BOOKED) {
                throw new ConflictException("not-booked", "Only a booked appointment can be marked no-show.");
            }
            if (a.start().isAfter(now)) {
                throw new ConflictException("not-started", "An appointment still to come cannot be a no-show.");
            }
            repository.markNoShow(id, now);
            publish(AppointmentEvent.Kind.NO_SHOW, a, caller.accountId(), a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    Page<Appointment> mine(Caller.Patient caller, TimeWindow window, Paging paging) {
        return scope.read(
                caller,
                () -> Page.of(
                        repository.bookedBy(caller.accountId(), window, paging),
                        paging,
                        repository.countBookedBy(caller.accountId(), window)));
    }

    Appointment one(Caller caller, UUID id) {
        return scope.read(caller, () -> repository.find(id)).orElseThrow(() -> new NotFoundException("appointment"));
    }

    private void checkAntiHoarding(UUID patientId, String specialty, Instant start, UUID replaced, Instant now) {
        List<Appointment> open = repository.openFutureOf(patientId, now).stream()
                .filter(o -> !o.id().equals(replaced))
                .toList();
        if (open.size() >= limits.maxOpenPerPatient()) {
            throw new ConflictException(
                    "too-many-open-appointments",
                    "At most " + limits.maxOpenPerPatient() + " appointments to come per person.");
        }
        Duration gap = Duration.ofDays(limits.minDaysBetweenSameSpecialty());
        for (Appointment o : open) {
            if (o.specialtyCode().equals(specialty)
                    && Duration.between(o.start(), start).abs().compareTo(gap) < 0) {
                throw new ConflictException(
                        "too-close-same-specialty",
                        "Another appointment in this specialty is less than " + limits.minDaysBetweenSameSpecialty()
                                + " days away; move it instead.");
            }
        }
    }

    private void checkCutoff(Appointment a, Instant now) {
        VisitMotive motive = directory.motive(a.motiveId()).orElseThrow();
        if (now.isAfter(a.start().minus(motive.rules().cancellationCutoff()))) {
            throw new ConflictException(
                    "cancellation-cutoff-passed",
                    "Too close to the appointment to change it online; call the practice.");
        }
    }

    private void insertOrConflict(Appointment held, Instant now) {
        try {
            repository.insertHeld(held, now);
        } catch (DataIntegrityViolationException e) {
            throw slotTakenOr(e);
        }
    }

    private static RuntimeException slotTakenOr(DataIntegrityViolationException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof SQLException sql && EXCLUSION_VIOLATION.equals(sql.getSQLState())) {
            return new ConflictException("slot-taken", "This slot has just been taken.");
        }
        return e;
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "is required");
        }
        if (reason.length() > 500) {
            throw new InvalidInputException("reason", "must have at most 500 characters");
        }
        return reason.trim();
    }

    private void publish(
            AppointmentEvent.Kind kind, Appointment a, UUID actor, Instant start, Instant previousStart, Instant now) {
        Instant end = start.plus(Duration.between(a.start(), a.end()));
        events.publishEvent(new AppointmentEvent(
                kind,
                a.id(),
                a.organizationId(),
                a.practitionerId(),
                a.patientId(),
                actor,
                start,
                end,
                previousStart,
                now));
    }
}
