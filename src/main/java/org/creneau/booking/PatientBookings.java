package org.creneau.booking;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.booking.internal.Appointment;
import org.creneau.booking.internal.AppointmentBook;
import org.creneau.booking.internal.Waitlist;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Service;

/**
 * A patient's own appointments for the pages: the same {@link AppointmentBook} rules, scope and
 * events as the JSON API, answered as {@link PatientAppointment} views.
 */
@Service
public class PatientBookings {

    private final AppointmentBook book;
    private final Waitlist waitlist;

    PatientBookings(AppointmentBook book, Waitlist waitlist) {
        this.book = book;
        this.waitlist = waitlist;
    }

    /** One of the caller's appointments, identifiers and times only. */
    public record PatientAppointment(
            UUID id,
            AppointmentStatus status,
            UUID organizationId,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            UUID patientId,
            Instant start,
            Instant end,
            Instant holdExpiresAt,
            String cancelReason)
            implements Serializable {

        static PatientAppointment of(Appointment a) {
            return new PatientAppointment(
                    a.id(),
                    a.status(),
                    a.organizationId(),
                    a.practitionerId(),
                    a.siteId(),
                    a.motiveId(),
                    a.patientId(),
                    a.start(),
                    a.end(),
                    a.holdExpiresAt(),
                    a.cancelReason());
        }
    }

    /**
     * Holds a free slot for the account holder ({@code relativeId} null) or a relative. The hold
     * commits without waiting for the disk: the caller journals it before answering (both surfaces
     * do, through their journal hook), and that entry's durable commit makes the hold durable too.
     */
    public PatientAppointment hold(
            Caller.Patient caller, UUID practitionerId, UUID siteId, UUID motiveId, Instant start, UUID relativeId) {
        return PatientAppointment.of(book.hold(
                caller, new AppointmentBook.HoldRequest(practitionerId, siteId, motiveId, start, relativeId)));
    }

    /** Changes whom a hold is for ({@code relativeId} null: the account holder); the slot stays held. */
    public PatientAppointment changeHeldPerson(Caller.Patient caller, UUID id, UUID relativeId) {
        return PatientAppointment.of(book.changeHeldPerson(caller, id, relativeId));
    }

    public PatientAppointment confirm(Caller.Patient caller, UUID id) {
        return PatientAppointment.of(book.confirm(caller, id));
    }

    public PatientAppointment cancel(Caller.Patient caller, UUID id, String reason) {
        return PatientAppointment.of(book.cancel(caller, id, reason));
    }

    /**
     * Moves an appointment to another free slot of the same practitioner and motive ({@code siteId}
     * null: the same site): the new slot is taken and the old one freed together, or nothing changes.
     */
    public PatientAppointment reschedule(Caller.Patient caller, UUID id, Instant newStart, UUID siteId) {
        return PatientAppointment.of(book.reschedule(caller, id, newStart, siteId));
    }

    /**
     * Puts the account holder ({@code relativeId} null) or a relative on the practitioner's waiting
     * list for a motive, as the JSON API does; returns the entry's identifier.
     */
    public UUID joinWaitlist(Caller.Patient caller, UUID practitionerId, UUID motiveId, UUID relativeId) {
        return waitlist.join(caller, practitionerId, motiveId, relativeId).id();
    }

    /** One of the caller's appointments; another's answers exactly like a missing one. */
    public PatientAppointment one(Caller.Patient caller, UUID id) {
        return PatientAppointment.of(book.one(caller, id));
    }

    public Page<PatientAppointment> mine(Caller.Patient caller, TimeWindow window, Paging paging) {
        Page<Appointment> found = book.mine(caller, window, paging);
        return new Page<>(found.items().stream().map(PatientAppointment::of).toList(), found.page());
    }
}
