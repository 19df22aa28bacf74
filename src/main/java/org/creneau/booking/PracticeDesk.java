package org.creneau.booking;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.internal.Appointment;
import org.creneau.booking.internal.AppointmentBook;
import org.creneau.patients.OrgPatients;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Service;

/**
 * The practice's desk, for the JSON API and the workspace pages alike: an agenda's appointments with
 * their patients, booking for a patient who phoned, moving, cancelling with a reason, and marking
 * what happened. The rights and rules are {@link AppointmentBook}'s; an agenda or appointment the
 * person holds no right on answers exactly like a missing one.
 */
@Service
public class PracticeDesk {

    /** No desk view reads more appointments at once (6 agendas of a busy week stay far below). */
    public static final int MAX_APPOINTMENTS = 2000;

    private final AppointmentBook book;
    private final OrgPatients orgPatients;
    private final AgendaRights rights;
    private final TenantScope scope;

    PracticeDesk(AppointmentBook book, OrgPatients orgPatients, AgendaRights rights, TenantScope scope) {
        this.book = book;
        this.orgPatients = orgPatients;
        this.rights = rights;
        this.scope = scope;
    }

    /** An appointment as the desk sees it, with the patient's name and phone from the file (null when none). */
    public record DeskAppointment(
            UUID id,
            AppointmentStatus status,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            UUID orgPatientId,
            String patientFirstName,
            String patientLastName,
            String patientPhone,
            boolean bookedOnline,
            Instant start,
            Instant end,
            Instant holdExpiresAt,
            String cancelReason) {

        /** Still holding its time: booked, arrived, or held. */
        public boolean live() {
            return status == AppointmentStatus.BOOKED
                    || status == AppointmentStatus.HELD
                    || status == AppointmentStatus.ARRIVED;
        }
    }

    /**
     * How many appointments some agendas hold over a window and when the last of them changed: equal
     * stamps mean nothing was booked, moved or cancelled there in between (a cheap check for polling).
     */
    public record Stamp(long count, Instant lastChange) {
        /** The stamp as one token a page can send back. */
        public String token() {
            return count + "-" + (lastChange == null ? 0 : ChronoUnit.MICROS.between(Instant.EPOCH, lastChange));
        }
    }

    /** What the desk books: an existing entry of the file ({@code orgPatientId}) or a new person. */
    public record Booking(
            UUID practitionerId,
            UUID motiveId,
            UUID siteId,
            Instant start,
            UUID orgPatientId,
            OrgPatients.NewOrgPatient newPatient) {}

    /** One agenda's appointments over a window, page by page. */
    public Page<DeskAppointment> agenda(Caller.Staff staff, UUID practitionerId, TimeWindow window, Paging paging) {
        return scope.read(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.VIEW_APPOINTMENTS);
            Page<Appointment> found = book.agendaPage(practitionerId, window, paging);
            return new Page<>(withPatients(found.items()), found.page());
        });
    }

    /**
     * The appointments of several agendas over a window, in time order, in one read: the desk's day
     * of a practice. Every agenda needs the right to see its appointments.
     */
    public List<DeskAppointment> agendas(Caller.Staff staff, List<UUID> practitionerIds, TimeWindow window) {
        return scope.read(staff, () -> {
            requireAll(staff, practitionerIds);
            return withPatients(book.agendas(practitionerIds, window, MAX_APPOINTMENTS));
        });
    }

    /** The stamp of some agendas over a window, with the same rights as reading them. */
    public Stamp stamp(Caller.Staff staff, List<UUID> practitionerIds, TimeWindow window) {
        return scope.read(staff, () -> {
            requireAll(staff, practitionerIds);
            return book.stamp(practitionerIds, window);
        });
    }

    /** One appointment, on an agenda the person may see. */
    public DeskAppointment one(Caller.Staff staff, UUID id) {
        return scope.read(
                staff, () -> withPatients(List.of(book.oneAtDesk(staff, id))).get(0));
    }

    /** Books for a patient who phoned, filing them first if they are new. */
    public DeskAppointment book(Caller.Staff staff, Booking booking) {
        Appointment booked = book.bookAtDesk(
                staff,
                new AppointmentBook.DeskBooking(
                        booking.practitionerId(),
                        booking.motiveId(),
                        booking.siteId(),
                        booking.start(),
                        booking.orgPatientId(),
                        booking.newPatient()));
        return view(staff, booked);
    }

    /** Moves an appointment ({@code siteId} null: the same site); the practice's rules apply, not the online ones. */
    public DeskAppointment move(Caller.Staff staff, UUID id, Instant start, UUID siteId) {
        return view(staff, book.moveAtDesk(staff, id, start, siteId));
    }

    /** Cancels with a reason the patient is told. */
    public DeskAppointment cancel(Caller.Staff staff, UUID id, String reason) {
        return view(staff, book.cancelAtDesk(staff, id, reason));
    }

    /** Arrived, seen or no-show; a no-show counts towards blocking the patient's online booking. */
    public DeskAppointment mark(Caller.Staff staff, UUID id, AppointmentStatus outcome) {
        return view(staff, book.markAtDesk(staff, id, outcome));
    }

    /** The right to see every one of the agendas, read once; one missing is like a missing agenda. */
    private void requireAll(Caller.Staff staff, List<UUID> practitionerIds) {
        if (practitionerIds.size() == 1) {
            rights.require(staff, practitionerIds.get(0), AgendaRight.VIEW_APPOINTMENTS);
        } else if (!rights.agendasWith(staff, AgendaRight.VIEW_APPOINTMENTS).containsAll(practitionerIds)) {
            throw new NotFoundException("agenda");
        }
    }

    private DeskAppointment view(Caller.Staff staff, Appointment changed) {
        return scope.read(staff, () -> withPatients(List.of(changed)).get(0));
    }

    private List<DeskAppointment> withPatients(List<Appointment> appointments) {
        // The patients' names from their owner, in one read for them all.
        Map<UUID, OrgPatients.OrgPatient> patients = orgPatients.byIds(appointments.stream()
                .map(Appointment::orgPatientId)
                .filter(Objects::nonNull)
                .toList());
        return appointments.stream()
                .map(a -> {
                    OrgPatients.OrgPatient p = a.orgPatientId() == null ? null : patients.get(a.orgPatientId());
                    return new DeskAppointment(
                            a.id(),
                            a.status(),
                            a.practitionerId(),
                            a.siteId(),
                            a.motiveId(),
                            a.orgPatientId(),
                            p == null ? null : p.firstName(),
                            p == null ? null : p.lastName(),
                            p == null ? null : p.phone(),
                            a.bookedByAccountId() != null,
                            a.start(),
                            a.end(),
                            a.holdExpiresAt(),
                            a.cancelReason());
                })
                .toList();
    }
}
