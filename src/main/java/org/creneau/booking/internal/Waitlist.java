package org.creneau.booking.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.AppointmentEvent;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.BookingLimits;
import org.creneau.directory.Directory;
import org.creneau.directory.VisitMotive;
import org.creneau.patients.OrgPatients;
import org.creneau.patients.Patients;
import org.creneau.platform.ConflictException;
import org.creneau.platform.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The waiting list of an agenda and motive. A freed slot is offered to the first in line as a
 * hold of {@link BookingLimits#waitlistOfferMinutes()}; unanswered, it goes to the next.
 */
@Service
public class Waitlist {

    private static final Logger log = LoggerFactory.getLogger(Waitlist.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final AppointmentRepository appointments;
    private final SlotFinder slots;
    private final Directory directory;
    private final Patients patients;
    private final OrgPatients orgPatients;
    private final ApplicationEventPublisher events;
    private final BookingLimits limits;
    private final Clock clock;

    Waitlist(
            JdbcClient jdbc,
            TenantScope scope,
            AppointmentRepository appointments,
            SlotFinder slots,
            Directory directory,
            Patients patients,
            OrgPatients orgPatients,
            ApplicationEventPublisher events,
            BookingLimits limits,
            Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.appointments = appointments;
        this.slots = slots;
        this.directory = directory;
        this.patients = patients;
        this.orgPatients = orgPatients;
        this.events = events;
        this.limits = limits;
        this.clock = clock;
    }

    public record Entry(
            UUID id,
            UUID organizationId,
            UUID practitionerId,
            UUID motiveId,
            UUID patientId,
            UUID accountId,
            UUID orgPatientId,
            String status,
            UUID offeredAppointmentId,
            Instant createdAt) {}

    public Entry join(Caller.Patient caller, UUID practitionerId, UUID motiveId, UUID relativeId) {
        return scope.write(caller, () -> {
            Instant now = clock.instant();
            UUID patientId = patients.bookablePerson(caller.accountId(), relativeId)
                    .orElseThrow(() -> new NotFoundException("relative"));
            VisitMotive motive = directory
                    .motive(motiveId)
                    .filter(m -> m.practitionerId().equals(practitionerId))
                    .orElseThrow(() -> new NotFoundException("motive"));
            if (!motive.onlineBookable()) {
                throw new ConflictException("not-bookable-online", "This motive cannot be booked online.");
            }
            OrgPatients.Filing filing = orgPatients.fileOnlinePatient(motive.organizationId(), patientId);
            if (filing.onlineBookingBlocked()) {
                throw new ConflictException(
                        "online-booking-blocked", "This practice asks you to call it to book an appointment.");
            }
            UUID id = UUID.randomUUID();
            try {
                jdbc.sql("""
                                INSERT INTO waitlist_entry (id, organization_id, practitioner_id, motive_id, patient_id,
                                       account_id, org_patient_id, status, created_at, updated_at)
                                VALUES (:id, :org, :p, :m, :patient, :account, :orgPatient, 'WAITING', :now, :now)
                                """)
                        .param("id", id)
                        .param("org", motive.organizationId())
                        .param("p", practitionerId)
                        .param("m", motiveId)
                        .param("patient", patientId)
                        .param("account", caller.accountId())
                        .param("orgPatient", filing.orgPatientId())
                        .param("now", utc(now))
                        .update();
            } catch (DuplicateKeyException e) {
                throw new ConflictException("already-waiting", "This person is already on this waiting list.");
            }
            return find(id).orElseThrow();
        });
    }

    List<Entry> mine(Caller.Patient caller) {
        return scope.read(
                caller,
                () -> jdbc.sql("SELECT * FROM waitlist_entry WHERE account_id = :a"
                                + " AND status IN ('WAITING', 'OFFERED') ORDER BY created_at, queue_number LIMIT 50")
                        .param("a", caller.accountId())
                        .query((rs, i) -> map(rs))
                        .list());
    }

    void withdraw(Caller.Patient caller, UUID id) {
        scope.write(caller, () -> {
            int changed = jdbc.sql("UPDATE waitlist_entry SET status = 'WITHDRAWN', updated_at = :now"
                            + " WHERE id = :id AND status IN ('WAITING', 'OFFERED')")
                    .param("id", id)
                    .param("now", utc(clock.instant()))
                    .update();
            if (changed == 0) {
                throw new NotFoundException("waiting list entry");
            }
        });
    }

    /** An offered hold was confirmed: the entry is done. Runs in the confirming transaction. */
    void offerAccepted(UUID appointmentId, Instant now) {
        jdbc.sql("UPDATE waitlist_entry SET status = 'BOOKED', updated_at = :now"
                        + " WHERE offered_appointment_id = :a AND status = 'OFFERED'")
                .param("a", appointmentId)
                .param("now", utc(now))
                .update();
    }

    /**
     * A freed slot goes to the first in line, once the cancellation is committed. Only cancellations
     * reach it: the event publication registry keeps a row for each listener an event is for, and
     * marks it processing then completed, two commits on the booking's own thread after its commit
     * (a hold paid them for nothing).
     */
    @TransactionalEventListener(
            phase = TransactionPhase.AFTER_COMMIT,
            condition = "#event.kind().name() == 'CANCELLED'")
    void onCancelled(AppointmentEvent event) {
        if (event.kind() == AppointmentEvent.Kind.CANCELLED) {
            offerSlotOf(event.organizationId(), event.appointmentId());
        }
    }

    /** Offers that went unanswered give up their place; their slots go to the next in line. */
    void expireOffers() {
        Instant now = clock.instant();
        record Expired(UUID organizationId, UUID appointmentId) {}
        List<Expired> expired = scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT organization_id, appointment_id FROM expire_waitlist_offers(:now)")
                        .param("now", utc(now))
                        .query((rs, i) -> new Expired(
                                rs.getObject("organization_id", UUID.class),
                                rs.getObject("appointment_id", UUID.class)))
                        .list());
        scope.write(Caller.ANONYMOUS, () -> appointments.releaseExpiredHolds(null, now));
        for (Expired e : expired) {
            offerSlotOf(e.organizationId(), e.appointmentId());
        }
    }

    private void offerSlotOf(UUID organizationId, UUID freedAppointmentId) {
        Caller.System asOrganization = new Caller.System(organizationId);
        try {
            scope.writeSeparately(asOrganization, () -> {
                Instant now = clock.instant();
                Appointment freed = appointments.find(freedAppointmentId).orElse(null);
                if (freed == null || !freed.start().isAfter(now)) {
                    return;
                }
                // An offer is a hold: it takes the agenda's lock first, like every booking.
                appointments.lockAgenda(freed.practitionerId());
                List<Entry> queue = jdbc.sql("SELECT * FROM waitlist_entry WHERE practitioner_id = :p"
                                + " AND status = 'WAITING' ORDER BY created_at, queue_number LIMIT 20 FOR UPDATE")
                        .param("p", freed.practitionerId())
                        .query((rs, i) -> map(rs))
                        .list();
                for (Entry entry : queue) {
                    Optional<VisitMotive> motive = directory.motive(entry.motiveId());
                    if (motive.isEmpty()) {
                        continue;
                    }
                    Instant end = freed.start().plus(motive.get().duration());
                    if (!slots.isFree(freed.practitionerId(), freed.start(), end, null)) {
                        continue;
                    }
                    Appointment offer = new Appointment(
                            UUID.randomUUID(),
                            organizationId,
                            freed.practitionerId(),
                            freed.siteId(),
                            entry.motiveId(),
                            freed.specialtyCode(),
                            entry.patientId(),
                            entry.orgPatientId(),
                            entry.accountId(),
                            freed.start(),
                            end,
                            AppointmentStatus.HELD,
                            now.plus(Duration.ofMinutes(limits.waitlistOfferMinutes())),
                            null,
                            1);
                    appointments.insert(offer, now);
                    jdbc.sql("UPDATE waitlist_entry SET status = 'OFFERED', offered_appointment_id = :a,"
                                    + " updated_at = :now WHERE id = :id")
                            .param("a", offer.id())
                            .param("id", entry.id())
                            .param("now", utc(now))
                            .update();
                    events.publishEvent(new AppointmentEvent(
                            AppointmentEvent.Kind.WAITLIST_OFFERED,
                            offer.id(),
                            organizationId,
                            offer.practitionerId(),
                            offer.patientId(),
                            null,
                            false,
                            offer.start(),
                            offer.end(),
                            null,
                            now));
                    return;
                }
            });
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            // Someone took the slot between the check and the offer: nothing to offer.
            log.info("Freed slot of appointment {} was taken before it could be offered", freedAppointmentId);
        }
    }

    private Optional<Entry> find(UUID id) {
        return jdbc.sql("SELECT * FROM waitlist_entry WHERE id = :id")
                .param("id", id)
                .query((rs, i) -> map(rs))
                .optional();
    }

    private static Entry map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("practitioner_id", UUID.class),
                rs.getObject("motive_id", UUID.class),
                rs.getObject("patient_id", UUID.class),
                rs.getObject("account_id", UUID.class),
                rs.getObject("org_patient_id", UUID.class),
                rs.getString("status"),
                rs.getObject("offered_appointment_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
