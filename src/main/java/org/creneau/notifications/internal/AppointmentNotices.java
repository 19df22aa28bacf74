package org.creneau.notifications.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentEvent;
import org.creneau.booking.AppointmentView;
import org.creneau.booking.Appointments;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.patients.OrgPatients;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells patients, by email, what the practice did to their appointment: a cancellation (an
 * absence, the desk) and a slot offered from the waiting list. Changes patients make themselves
 * need no notice.
 */
@Component
class AppointmentNotices {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'à' HH:mm", Locale.FRENCH);

    private final TenantScope scope;
    private final Appointments appointments;
    private final OrgPatients orgPatients;
    private final Directory directory;
    private final Outbox outbox;

    AppointmentNotices(
            TenantScope scope, Appointments appointments, OrgPatients orgPatients, Directory directory, Outbox outbox) {
        this.scope = scope;
        this.appointments = appointments;
        this.orgPatients = orgPatients;
        this.directory = directory;
        this.outbox = outbox;
    }

    record Recipient(String email, String practitioner, String reason, Instant start, ZoneId zone) {}

    /** Only the events it mails about: the outbox keeps no row, and makes no commits, for the others. */
    @ApplicationModuleListener(
            condition = "#event.kind().name() == 'WAITLIST_OFFERED' or "
                    + "(#event.kind().name() == 'CANCELLED' and #event.byPractice())")
    void on(AppointmentEvent event) {
        boolean cancelledByPractice = event.kind() == AppointmentEvent.Kind.CANCELLED && event.byPractice();
        boolean offered = event.kind() == AppointmentEvent.Kind.WAITLIST_OFFERED;
        if (!cancelledByPractice && !offered) {
            return;
        }
        Optional<Recipient> to = recipient(new Caller.System(event.organizationId()), event.appointmentId());
        if (to.isEmpty() || to.get().email() == null) {
            return;
        }
        Recipient r = to.get();
        String when = WHEN.format(r.start().atZone(r.zone()));
        String eventKey = "appointment:" + event.appointmentId() + "@" + event.occurredAt();
        if (cancelledByPractice) {
            outbox.enqueue(Message.email(
                    eventKey,
                    r.email(),
                    MessageKind.APPOINTMENT_CANCELLED,
                    "appointment " + event.appointmentId(),
                    "Créneau : votre rendez-vous est annulé",
                    """
                    Bonjour,

                    Votre rendez-vous du %s avec %s est annulé par le cabinet.
                    %s

                    Vous pouvez reprendre rendez-vous sur Créneau.
                    """.formatted(when, r.practitioner(), r.reason() == null ? "" : r.reason())));
        } else {
            outbox.enqueue(Message.email(
                    eventKey,
                    r.email(),
                    MessageKind.WAITLIST_OFFERED,
                    "appointment " + event.appointmentId(),
                    "Créneau : un créneau s'est libéré pour vous",
                    """
                    Bonjour,

                    Un créneau s'est libéré le %s avec %s. Il vous est réservé pendant un temps limité :
                    confirmez-le depuis votre compte Créneau, ou il sera proposé à la personne suivante.
                    """.formatted(when, r.practitioner())));
        }
    }

    /**
     * Who to tell, from the appointment's owners: booking, the patient file, the directory. Never
     * anyone for a decoy (a canary record stands for nobody): the database hides them.
     */
    private Optional<Recipient> recipient(Caller caller, UUID appointmentId) {
        Optional<AppointmentView> appointment = appointments.byId(caller, appointmentId);
        if (appointment.isEmpty() || appointment.get().orgPatientId() == null) {
            return Optional.empty();
        }
        AppointmentView a = appointment.get();
        Optional<OrgPatients.OrgPatient> patient = scope.read(caller, () -> orgPatients.find(a.orgPatientId()));
        Optional<Practitioner> practitioner = directory.practitioner(a.practitionerId());
        Optional<Site> site = directory.site(a.siteId());
        if (patient.isEmpty() || practitioner.isEmpty() || site.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Recipient(
                patient.get().email(),
                practitioner.get().firstName() + " " + practitioner.get().lastName(),
                a.cancelReason(),
                a.start(),
                site.get().timeZone()));
    }
}
