package org.creneau.booking.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AbsenceAdded;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.AppointmentEvent;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.AppointmentView;
import org.creneau.booking.BookingLimits;
import org.creneau.booking.ConnectedAppBookings;
import org.creneau.booking.PracticeDesk;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.Practitioner;
import org.creneau.directory.VisitMotive;
import org.creneau.identity.AccountLinks;
import org.creneau.patients.OrgPatients;
import org.creneau.patients.Patients;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;

/**
 * The appointment book: every change of an appointment goes through here, inside the caller's
 * scope, and publishes an {@link AppointmentEvent} in the same transaction.
 */
@Service
public class AppointmentBook {

    private static final Logger log = LoggerFactory.getLogger(AppointmentBook.class);

    private static final String EXCLUSION_VIOLATION = "23P01";
    private static final String UNIQUE_VIOLATION = "23505";

    private final AppointmentRepository repository;
    private final SlotFinder slots;
    private final Directory directory;
    private final DirectoryAdministration administration;
    private final Patients patients;
    private final OrgPatients orgPatients;
    private final AgendaRights rights;
    private final Waitlist waitlist;
    private final TenantScope scope;
    private final ApplicationEventPublisher events;
    private final BookingLimits limits;
    private final Clock clock;

    private final AccountLinks links;
    private final int unverifiedOpenAppointments;

    AppointmentBook(
            AppointmentRepository repository,
            SlotFinder slots,
            Directory directory,
            DirectoryAdministration administration,
            Patients patients,
            OrgPatients orgPatients,
            AgendaRights rights,
            Waitlist waitlist,
            TenantScope scope,
            ApplicationEventPublisher events,
            BookingLimits limits,
            Clock clock,
            AccountLinks links,
            @Value("${creneau.account-links.unverified-open-appointments:1}") int unverifiedOpenAppointments) {
        this.links = links;
        this.unverifiedOpenAppointments = unverifiedOpenAppointments;
        this.repository = repository;
        this.slots = slots;
        this.directory = directory;
        this.administration = administration;
        this.patients = patients;
        this.orgPatients = orgPatients;
        this.rights = rights;
        this.waitlist = waitlist;
        this.scope = scope;
        this.events = events;
        this.limits = limits;
        this.clock = clock;
    }

    public record HoldRequest(UUID practitionerId, UUID siteId, UUID motiveId, Instant start, UUID relativeId) {}

    /**
     * Holds a free slot for {@link BookingLimits#holdMinutes()} minutes, for the patient or a relative.
     * Its commit does not wait for the disk: the request's journal entry, committed durably before the
     * answer, flushes it (see {@link org.creneau.booking.PatientBookings#hold}).
     */
    public Appointment hold(Caller.Patient caller, HoldRequest request) {
        return contended(() -> scope.write(caller, () -> {
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
            // The hold's commit does not wait for the disk: both surfaces that hold (the JSON API and
            // the booking pages) journal the hold before answering, and that entry's durable commit
            // flushes this one too. One flush per hold instead of two; an unanswered hold a crash
            // forgets is one the patient never saw.
            repository.lockAgendaReleasingHolds(practitioner.id(), patientId, now, true);
            OrgPatients.Filing filing = orgPatients.fileOnlinePatient(practitioner.organizationId(), patientId);
            if (filing.onlineBookingBlocked()) {
                throw new ConflictException(
                        "online-booking-blocked", "This practice asks you to call it to book an appointment.");
            }
            Slot slot = slots.slotAt(motive, request.siteId(), request.start(), null)
                    .orElseThrow(() -> new ConflictException("slot-unavailable", "This slot is not free."));
            List<Appointment> open =
                    checkAntiHoarding(patientId, practitioner.specialty().code(), slot.start(), null, now);
            checkUnverified(caller, open.size());
            Appointment held = new Appointment(
                    UUID.randomUUID(),
                    practitioner.organizationId(),
                    practitioner.id(),
                    slot.siteId(),
                    motive.id(),
                    practitioner.specialty().code(),
                    patientId,
                    filing.orgPatientId(),
                    caller.accountId(),
                    slot.start(),
                    slot.end(),
                    AppointmentStatus.HELD,
                    now.plus(Duration.ofMinutes(limits.holdMinutes())),
                    null,
                    1);
            insertOrConflict(held, null, null, now);
            publish(AppointmentEvent.Kind.HELD, held, caller.accountId(), false, held.start(), null, now);
            return held;
        }));
    }

    public Appointment confirm(Caller.Patient caller, UUID id) {
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
            waitlist.offerAccepted(id, now);
            publish(AppointmentEvent.Kind.BOOKED, a, caller.accountId(), false, a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    public Appointment cancel(Caller.Patient caller, UUID id, String reason) {
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
            publish(AppointmentEvent.Kind.CANCELLED, a, caller.accountId(), false, a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    /**
     * Changes whom a held appointment is for (the account holder, or one of its relatives) before it
     * is confirmed: the slot stays held, and the online rules are checked again for the new person.
     */
    public Appointment changeHeldPerson(Caller.Patient caller, UUID id, UUID relativeId) {
        return contended(() -> scope.write(caller, () -> {
            Instant now = clock.instant();
            Appointment a = lockedOnItsAgenda(id);
            if (a.status() != AppointmentStatus.HELD || !a.holdExpiresAt().isAfter(now)) {
                throw new ConflictException("hold-expired", "The hold has expired; choose a slot again.");
            }
            UUID patientId = patients.bookablePerson(caller.accountId(), relativeId)
                    .orElseThrow(() -> new NotFoundException("relative"));
            if (patientId.equals(a.patientId())) {
                return a;
            }
            Practitioner practitioner =
                    directory.practitioner(a.practitionerId()).orElseThrow();
            VisitMotive motive = directory.motive(a.motiveId()).orElseThrow();
            if ((!motive.newPatientsAllowed() || !practitioner.acceptsNewPatients())
                    && !repository.hasSeen(patientId, practitioner.id(), now)) {
                throw new ConflictException(
                        "new-patients-not-accepted",
                        "This practitioner only books patients already seen for this motive.");
            }
            repository.lockPerson(patientId);
            OrgPatients.Filing filing = orgPatients.fileOnlinePatient(a.organizationId(), patientId);
            if (filing.onlineBookingBlocked()) {
                throw new ConflictException(
                        "online-booking-blocked", "This practice asks you to call it to book an appointment.");
            }
            checkAntiHoarding(patientId, a.specialtyCode(), a.start(), a.id(), now);
            repository.changeHeldPerson(id, patientId, filing.orgPatientId(), now);
            return repository.find(id).orElseThrow();
        }));
    }

    /** Moves an appointment: the new slot is taken and the old one freed together, or nothing changes. */
    public Appointment reschedule(Caller.Patient caller, UUID id, Instant newStart, UUID newSiteId) {
        if (newStart == null) {
            throw new InvalidInputException("start", "is required");
        }
        return contended(() -> scope.write(caller, () -> {
            Instant now = clock.instant();
            Appointment a = lockedOnItsAgenda(id);
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
            Slot slot = slots.slotAt(directory.motive(a.motiveId()).orElseThrow(), site, newStart, a.id())
                    .orElseThrow(() -> new ConflictException("slot-unavailable", "This slot is not free."));
            checkAntiHoarding(a.patientId(), a.specialtyCode(), slot.start(), a.id(), now);
            try {
                repository.move(id, slot.siteId(), slot.start(), slot.end(), now);
            } catch (DataIntegrityViolationException e) {
                throw slotTakenOr(e);
            }
            publish(AppointmentEvent.Kind.RESCHEDULED, a, caller.accountId(), false, slot.start(), a.start(), now);
            return repository.find(id).orElseThrow();
        }));
    }

    /** What the practice's desk does: book for a patient who phoned, creating them in the file if needed. */
    public record DeskBooking(
            UUID practitionerId,
            UUID motiveId,
            UUID siteId,
            Instant start,
            UUID orgPatientId,
            OrgPatients.NewOrgPatient newPatient) {}

    public Appointment bookAtDesk(Caller.Staff staff, DeskBooking request) {
        return contended(() -> scope.write(staff, () -> {
            rights.require(staff, request.practitionerId(), AgendaRight.MANAGE_APPOINTMENTS);
            return bookForPractice(staff.organizationId(), staff.accountId(), request, null, null, clock.instant());
        }));
    }

    /**
     * Books for a connected app whose grant opens the agenda: the practice's own rules apply, as at
     * the desk. The app's own identifier for the booking (system and value, both or neither) is
     * stored with it, unique in the organization. Returns the appointment as stored, so the app's
     * answer needs no second read.
     */
    public AppointmentView bookForConnectedApp(
            Caller.System platform, DeskBooking request, String identifierSystem, String identifierValue) {
        UUID organizationId = platform.organizationId();
        return contended(() -> scope.write(platform, () -> {
            Instant now = clock.instant();
            Appointment a = bookForPractice(organizationId, null, request, identifierSystem, identifierValue, now);
            return new AppointmentView(
                    a.id(),
                    a.organizationId(),
                    a.status(),
                    a.start(),
                    a.end(),
                    a.practitionerId(),
                    a.siteId(),
                    a.orgPatientId(),
                    a.cancelReason(),
                    a.version(),
                    asStored(now),
                    identifierValue == null
                            ? null
                            : new ConnectedAppBookings.AppIdentifier(identifierSystem, identifierValue),
                    a.motiveId());
        }));
    }

    /** A time as PostgreSQL keeps it: rounded to the microsecond. */
    private static Instant asStored(Instant time) {
        return time.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }

    /** Runs in the organization's scope, rights already checked; the identifier may be null. */
    private Appointment bookForPractice(
            UUID organizationId,
            UUID actorAccountId,
            DeskBooking request,
            String identifierSystem,
            String identifierValue,
            Instant now) {
        if (request.start() == null) {
            throw new InvalidInputException("start", "is required");
        }
        if ((request.orgPatientId() == null) == (request.newPatient() == null)) {
            throw new InvalidInputException("orgPatientId", "give either orgPatientId or patient");
        }
        Practitioner practitioner = directory
                .practitioner(request.practitionerId())
                .filter(p -> p.organizationId().equals(organizationId))
                .orElseThrow(() -> new NotFoundException("agenda"));
        VisitMotive motive = directory
                .motive(request.motiveId())
                .filter(m -> m.practitionerId().equals(practitioner.id()))
                .orElseThrow(() -> new InvalidInputException("motiveId", "is not a motive of this agenda"));
        if (!slots.receivesAt(practitioner.id(), request.siteId())) {
            throw new InvalidInputException("siteId", "is not a site of this agenda");
        }
        if (request.start().isBefore(now)) {
            throw new InvalidInputException("start", "must not be in the past");
        }
        repository.lockAgendaReleasingHolds(practitioner.id(), null, now);
        OrgPatients.OrgPatient person;
        if (request.orgPatientId() != null) {
            person = orgPatients.find(request.orgPatientId()).orElseThrow(() -> new NotFoundException("patient"));
        } else {
            UUID filed = orgPatients.create(organizationId, request.newPatient());
            events.publishEvent(new org.creneau.patients.PatientFiled(organizationId, filed, actorAccountId, now));
            person = orgPatients.find(filed).orElseThrow();
        }
        Instant end = request.start().plus(motive.duration());
        if (!slots.isFree(practitioner.id(), request.start(), end, null)) {
            throw new ConflictException("slot-unavailable", "This time is taken or the practitioner is away.");
        }
        Appointment booked = new Appointment(
                UUID.randomUUID(),
                practitioner.organizationId(),
                practitioner.id(),
                request.siteId(),
                motive.id(),
                practitioner.specialty().code(),
                person.patientId(),
                person.id(),
                person.accountId(),
                request.start(),
                end,
                AppointmentStatus.BOOKED,
                null,
                null,
                1);
        insertOrConflict(booked, identifierSystem, identifierValue, now);
        publish(AppointmentEvent.Kind.BOOKED, booked, actorAccountId, true, booked.start(), null, now);
        return booked;
    }

    /** The practice moves an appointment; the practice's own rules (not the online ones) apply. */
    public Appointment moveAtDesk(Caller.Staff staff, UUID id, Instant newStart, UUID newSiteId) {
        if (newStart == null) {
            throw new InvalidInputException("start", "is required");
        }
        return contended(() -> scope.write(staff, () -> {
            Instant now = clock.instant();
            Appointment a = lockedOnItsAgenda(id);
            rights.require(staff, a.practitionerId(), AgendaRight.MANAGE_APPOINTMENTS);
            if (a.status() != AppointmentStatus.BOOKED && a.status() != AppointmentStatus.HELD) {
                throw new ConflictException("not-movable", "This appointment is not booked.");
            }
            if (newStart.isBefore(now)) {
                throw new InvalidInputException("start", "must not be in the past");
            }
            UUID site = newSiteId != null ? newSiteId : a.siteId();
            if (!slots.receivesAt(a.practitionerId(), site)) {
                throw new InvalidInputException("siteId", "is not a site of this agenda");
            }
            Instant end = newStart.plus(Duration.between(a.start(), a.end()));
            if (!slots.isFree(a.practitionerId(), newStart, end, a.id())) {
                throw new ConflictException("slot-unavailable", "This time is taken or the practitioner is away.");
            }
            try {
                repository.move(id, site, newStart, end, now);
            } catch (DataIntegrityViolationException e) {
                throw slotTakenOr(e);
            }
            publish(AppointmentEvent.Kind.RESCHEDULED, a, staff.accountId(), true, newStart, a.start(), now);
            return repository.find(id).orElseThrow();
        }));
    }

    public Appointment cancelAtDesk(Caller.Staff staff, UUID id, String reason) {
        String why = requireReason(reason);
        return scope.write(staff, () -> {
            Instant now = clock.instant();
            Appointment a = managed(staff, id);
            if (a.status() != AppointmentStatus.BOOKED && a.status() != AppointmentStatus.HELD) {
                throw new ConflictException("not-cancellable", "This appointment is not booked.");
            }
            repository.cancel(id, why, "PRACTICE", now);
            publish(AppointmentEvent.Kind.CANCELLED, a, staff.accountId(), true, a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    /**
     * Cancels for a connected app whose grant opens the agenda, if the appointment is still at
     * {@code expectedVersion} (null: any); returns the new version.
     */
    public int cancelForConnectedApp(Caller.System platform, UUID id, Integer expectedVersion, String reason) {
        String why = requireReason(reason);
        return scope.write(platform, () -> {
            Instant now = clock.instant();
            Appointment a = repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
            if (expectedVersion != null && expectedVersion != a.version()) {
                throw new ConflictException("version-mismatch", "The appointment changed since that version.");
            }
            if (a.status() != AppointmentStatus.BOOKED && a.status() != AppointmentStatus.HELD) {
                throw new ConflictException("not-cancellable", "This appointment is not booked.");
            }
            repository.cancel(id, why, "PRACTICE", now);
            publish(AppointmentEvent.Kind.CANCELLED, a, null, true, a.start(), null, now);
            return a.version() + 1;
        });
    }

    /** Arrived, seen or no-show: what happened at the appointment's time. */
    public Appointment markAtDesk(Caller.Staff staff, UUID id, AppointmentStatus outcome) {
        return scope.write(staff, () -> {
            Instant now = clock.instant();
            Appointment a = managed(staff, id);
            boolean allowed = switch (outcome) {
                case ARRIVED -> a.status() == AppointmentStatus.BOOKED;
                case SEEN -> a.status() == AppointmentStatus.BOOKED || a.status() == AppointmentStatus.ARRIVED;
                case NO_SHOW -> a.status() == AppointmentStatus.BOOKED;
                default -> false;
            };
            if (!allowed) {
                throw new ConflictException("wrong-status", "This appointment cannot be marked " + outcome + " now.");
            }
            if (outcome == AppointmentStatus.NO_SHOW && a.start().isAfter(now)) {
                throw new ConflictException("not-started", "An appointment still to come cannot be a no-show.");
            }
            if (outcome != AppointmentStatus.NO_SHOW && a.start().isAfter(now.plus(Duration.ofHours(12)))) {
                throw new ConflictException("not-today", "Only today's appointments can be marked so.");
            }
            repository.setStatus(id, outcome, now);
            if (outcome == AppointmentStatus.NO_SHOW && a.orgPatientId() != null) {
                orgPatients.recordNoShow(a.orgPatientId(), administration.noShowBlockThreshold(a.organizationId()));
            }
            AppointmentEvent.Kind kind = switch (outcome) {
                case ARRIVED -> AppointmentEvent.Kind.ARRIVED;
                case SEEN -> AppointmentEvent.Kind.SEEN;
                default -> AppointmentEvent.Kind.NO_SHOW;
            };
            publish(kind, a, staff.accountId(), true, a.start(), null, now);
            return repository.find(id).orElseThrow();
        });
    }

    /** An agenda's appointments over a window, page by page; the caller checked the right to see them. */
    public Page<Appointment> agendaPage(UUID practitionerId, TimeWindow window, Paging paging) {
        return Page.of(
                repository.agenda(practitionerId, window, paging),
                paging,
                repository.countAgenda(practitionerId, window));
    }

    /** Several agendas' appointments over a window, at most {@code limit}; the caller checked the rights. */
    public List<Appointment> agendas(List<UUID> practitionerIds, TimeWindow window, int limit) {
        return repository.agendas(practitionerIds, window, limit);
    }

    /** The count and last change of several agendas' appointments over a window; the caller checked the rights. */
    public PracticeDesk.Stamp stamp(List<UUID> practitionerIds, TimeWindow window) {
        AppointmentRepository.Stamp stamp = repository.stamp(practitionerIds, window);
        return new PracticeDesk.Stamp(stamp.count(), stamp.lastChange());
    }

    public Appointment oneAtDesk(Caller.Staff staff, UUID id) {
        return scope.read(staff, () -> {
            Appointment a = repository.find(id).orElseThrow(() -> new NotFoundException("appointment"));
            rights.require(staff, a.practitionerId(), AgendaRight.VIEW_APPOINTMENTS);
            return a;
        });
    }

    /**
     * An absence cancels the live appointments it covers, in the transaction that adds it, each
     * with its own event.
     */
    @EventListener
    void cancelCoveredBy(AbsenceAdded absence) {
        Instant now = clock.instant();
        String reason = absence.patientMessage() == null
                        || absence.patientMessage().isBlank()
                ? "Le praticien est absent."
                : "Le praticien est absent : " + absence.patientMessage().trim();
        for (Appointment a : repository.liveOverlapping(absence.practitionerId(), absence.from(), absence.to())) {
            repository.cancel(a.id(), reason, "PRACTICE", now);
            publish(AppointmentEvent.Kind.CANCELLED, a, absence.actorAccountId(), true, a.start(), null, now);
        }
    }

    /**
     * The appointment, locked for a move, after its agenda's lock: the agenda is read first (it never
     * changes), so the agenda's lock comes before the row's, as in every booking.
     */
    private Appointment lockedOnItsAgenda(UUID id) {
        Appointment current = repository.find(id).orElseThrow(() -> new NotFoundException("appointment"));
        repository.lockAgenda(current.practitionerId());
        return repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
    }

    /**
     * A booking's transaction that the database ended as a deadlock or a serialization failure lost a
     * race like any other: a conflict, never a server error. The agenda's lock leaves no known cycle;
     * this keeps an unforeseen one (or a lock order changed later) from answering 500.
     */
    private static <T> T contended(Supplier<T> booking) {
        try {
            return booking.get();
        } catch (PessimisticLockingFailureException e) {
            log.warn("A booking's transaction was aborted by the database ({}): answered as a conflict", sqlState(e));
            throw new ConflictException(
                    "booking-contention", "Another booking of this agenda was being made; try again.");
        }
    }

    private static String sqlState(PessimisticLockingFailureException e) {
        return e.getMostSpecificCause() instanceof SQLException sql ? sql.getSQLState() : "unknown";
    }

    private Appointment managed(Caller.Staff staff, UUID id) {
        Appointment a = repository.lock(id).orElseThrow(() -> new NotFoundException("appointment"));
        rights.require(staff, a.practitionerId(), AgendaRight.MANAGE_APPOINTMENTS);
        return a;
    }

    public Page<Appointment> mine(Caller.Patient caller, TimeWindow window, Paging paging) {
        return scope.read(
                caller,
                () -> Page.of(
                        repository.bookedBy(caller.accountId(), window, paging),
                        paging,
                        repository.countBookedBy(caller.accountId(), window)));
    }

    public Appointment one(Caller caller, UUID id) {
        return scope.read(caller, () -> repository.find(id)).orElseThrow(() -> new NotFoundException("appointment"));
    }

    /**
     * Until its owner follows the mailed link, an account proves no address: it may hold at most
     * {@code creneau.account-links.unverified-open-appointments} appointments to come per person.
     */
    /** {@code open}: the person's appointments to come, as the anti-hoarding check just read them. */
    private void checkUnverified(Caller.Patient caller, int open) {
        if (open >= unverifiedOpenAppointments && !links.emailVerified(caller.accountId())) {
            throw new ConflictException(
                    "email-not-verified",
                    "Confirm your email address (the link mailed at registration) to book more appointments.");
        }
    }

    /** Returns the person's appointments to come (but {@code replaced}), for the checks that follow. */
    private List<Appointment> checkAntiHoarding(
            UUID patientId, String specialty, Instant start, UUID replaced, Instant now) {
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
        return open;
    }

    private void checkCutoff(Appointment a, Instant now) {
        VisitMotive motive = directory.motive(a.motiveId()).orElseThrow();
        if (now.isAfter(a.start().minus(motive.rules().cancellationCutoff()))) {
            throw new ConflictException(
                    "cancellation-cutoff-passed",
                    "Too close to the appointment to change it online; call the practice.");
        }
    }

    private void insertOrConflict(Appointment a, String identifierSystem, String identifierValue, Instant now) {
        try {
            repository.insert(a, identifierSystem, identifierValue, now);
        } catch (DataIntegrityViolationException e) {
            RuntimeException conflict = slotTakenOr(e);
            throw conflict == e ? identifierTakenOr(e) : conflict;
        }
    }

    private static RuntimeException slotTakenOr(DataIntegrityViolationException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof SQLException sql && EXCLUSION_VIOLATION.equals(sql.getSQLState())) {
            return new ConflictException("slot-taken", "This slot has just been taken.");
        }
        return e;
    }

    private static RuntimeException identifierTakenOr(DataIntegrityViolationException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
            return new ConflictException("identifier-taken", "Another appointment already has this identifier.");
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
            AppointmentEvent.Kind kind,
            Appointment a,
            UUID actor,
            boolean byPractice,
            Instant start,
            Instant previousStart,
            Instant now) {
        Instant end = start.plus(Duration.between(a.start(), a.end()));
        events.publishEvent(new AppointmentEvent(
                kind,
                a.id(),
                a.organizationId(),
                a.practitionerId(),
                a.patientId(),
                actor,
                byPractice,
                start,
                end,
                previousStart,
                now));
    }
}
