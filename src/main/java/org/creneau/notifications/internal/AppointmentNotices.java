package org.creneau.notifications.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
import org.creneau.identity.Accounts;
import org.creneau.patients.OrgPatients;
import org.creneau.platform.ICalendarEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells patients, by email, about their appointment: its confirmation (with an {@code .ics} file),
 * a cancellation by the practice (an absence, the desk) and a slot offered from the waiting list.
 * Changes patients make to it themselves need no notice. Written in the patient's language.
 */
@Component
class AppointmentNotices {

    private final TenantScope scope;
    private final Appointments appointments;
    private final OrgPatients orgPatients;
    private final Directory directory;
    private final Accounts accounts;
    private final MailTemplates templates;
    private final Outbox outbox;
    private final String publicUrl;

    AppointmentNotices(
            TenantScope scope,
            Appointments appointments,
            OrgPatients orgPatients,
            Directory directory,
            Accounts accounts,
            MailTemplates templates,
            Outbox outbox,
            @Value("${creneau.public-url}") String publicUrl) {
        this.scope = scope;
        this.appointments = appointments;
        this.orgPatients = orgPatients;
        this.directory = directory;
        this.accounts = accounts;
        this.templates = templates;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
    }

    /** Who to tell and what about: no motive, no specialty (templates may not name them anyway). */
    record Recipient(
            String email,
            Locale language,
            String practitioner,
            String organization,
            String place,
            String address,
            String reason,
            Instant start,
            Instant end,
            ZoneId zone) {}

    /** Only the events it mails about: the outbox keeps no row, and makes no commits, for the others. */
    @ApplicationModuleListener(
            condition = "#event.kind().name() == 'BOOKED' or #event.kind().name() == 'WAITLIST_OFFERED' or "
                    + "(#event.kind().name() == 'CANCELLED' and #event.byPractice())")
    void on(AppointmentEvent event) {
        MessageKind kind = switch (event.kind()) {
            case BOOKED -> MessageKind.BOOKING_CONFIRMED;
            case WAITLIST_OFFERED -> MessageKind.WAITLIST_OFFERED;
            case CANCELLED -> event.byPractice() ? MessageKind.APPOINTMENT_CANCELLED : null;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        Optional<Recipient> to = recipient(new Caller.System(event.organizationId()), event.appointmentId());
        if (to.isEmpty() || to.get().email() == null) {
            return;
        }
        Recipient r = to.get();
        MailTemplates.Rendered mail = templates.render(kind, r.language(), model(r, kind));
        Message.Attachment calendar = kind == MessageKind.BOOKING_CONFIRMED
                ? new Message.Attachment(
                        "rendez-vous.ics",
                        "text/calendar; charset=UTF-8",
                        ICalendarEvent.of(
                                        event.appointmentId(),
                                        r.start(),
                                        r.end(),
                                        r.zone(),
                                        templates.word(
                                                "calendar.summary", r.language(), r.practitioner(), r.organization()),
                                        r.place() + ", " + r.address())
                                .getBytes(StandardCharsets.UTF_8))
                : null;
        outbox.enqueue(new Message(
                "appointment:" + event.appointmentId() + ":" + event.kind() + "@" + event.occurredAt(),
                r.email(),
                Message.Channel.EMAIL,
                kind,
                "appointment " + event.appointmentId(),
                mail.subject(),
                mail.text(),
                mail.html(),
                calendar));
    }

    private Map<String, Object> model(Recipient r, MessageKind kind) {
        Map<String, Object> model = new HashMap<>();
        model.put("when", templates.when(r.start(), r.zone(), r.language()));
        model.put("practitioner", r.practitioner());
        model.put("place", r.place());
        model.put("address", r.address());
        model.put("reason", r.reason());
        model.put("link", publicUrl + (kind == MessageKind.APPOINTMENT_CANCELLED ? "/" : "/mes-rendez-vous"));
        return model;
    }

    /**
     * Who to tell, from the appointment's owners: booking, the patient file, the directory, the
     * account's language. Never anyone for a decoy (a canary record stands for nobody): the database
     * hides them.
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
        Locale language = patient.get().accountId() == null
                ? Locale.FRENCH
                : scope.read(caller, () -> accounts.language(patient.get().accountId()));
        Site s = site.get();
        return Optional.of(new Recipient(
                patient.get().email(),
                language,
                practitioner.get().displayName(),
                practitioner.get().organizationName(),
                s.name(),
                s.addressLine() + ", " + s.postcode() + " " + s.city(),
                a.cancelReason(),
                a.start(),
                a.end(),
                s.timeZone()));
    }
}
