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
import org.creneau.booking.AgendaWaitlist;
import org.creneau.booking.AppointmentEvent;
import org.creneau.booking.AppointmentView;
import org.creneau.booking.Appointments;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.identity.Accounts;
import org.creneau.patients.OrgPatients;
import org.creneau.platform.ICalendarEvent;
import org.creneau.platform.PhoneNumber;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells patients about their appointment: its confirmation (by email with an {@code .ics} file, and
 * by SMS when the patient turned SMS on), a move or a cancellation by the practice (an absence, the
 * desk, a connected app; by email, and by SMS when on), a slot offered from the waiting list, and,
 * to those whose offer of a slot lapsed, that someone else took it. Changes patients make themselves
 * need no notice. Written in the patient's language; the motive is named only in an email's body,
 * and only when the organization chose so.
 */
@Component
class AppointmentNotices {

    private final TenantScope scope;
    private final Appointments appointments;
    private final AgendaWaitlist waitlist;
    private final OrgPatients orgPatients;
    private final Directory directory;
    private final Accounts accounts;
    private final ReminderPolicies policies;
    private final MessagePreferences preferences;
    private final MailTemplates templates;
    private final Outbox outbox;
    private final String publicUrl;

    AppointmentNotices(
            TenantScope scope,
            Appointments appointments,
            AgendaWaitlist waitlist,
            OrgPatients orgPatients,
            Directory directory,
            Accounts accounts,
            ReminderPolicies policies,
            MessagePreferences preferences,
            MailTemplates templates,
            Outbox outbox,
            @Value("${creneau.public-url}") String publicUrl) {
        this.scope = scope;
        this.appointments = appointments;
        this.waitlist = waitlist;
        this.orgPatients = orgPatients;
        this.directory = directory;
        this.accounts = accounts;
        this.policies = policies;
        this.preferences = preferences;
        this.templates = templates;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
    }

    /**
     * Who to tell and what about. {@code motive} is set only when the organization chose to name it
     * in emails; {@code phone} only when the patient turned SMS on and has a number that reads.
     */
    record Recipient(
            String email,
            PhoneNumber phone,
            Locale language,
            String practitioner,
            String organization,
            String place,
            String address,
            String reason,
            String motive,
            Instant start,
            Instant end,
            ZoneId zone) {}

    /** Only the events it tells about: the outbox keeps no row, and makes no commits, for the others. */
    @ApplicationModuleListener(
            condition = "#event.kind().name() == 'BOOKED' or #event.kind().name() == 'WAITLIST_OFFERED' or "
                    + "((#event.kind().name() == 'CANCELLED' or #event.kind().name() == 'RESCHEDULED')"
                    + " and #event.byPractice())")
    void on(AppointmentEvent event) {
        MessageKind kind = switch (event.kind()) {
            case BOOKED -> MessageKind.BOOKING_CONFIRMED;
            case WAITLIST_OFFERED -> MessageKind.WAITLIST_OFFERED;
            case CANCELLED -> event.byPractice() ? MessageKind.APPOINTMENT_CANCELLED : null;
            case RESCHEDULED -> event.byPractice() ? MessageKind.APPOINTMENT_MOVED : null;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        Caller.System organization = new Caller.System(event.organizationId());
        String eventKey = "appointment:" + event.appointmentId() + ":" + event.kind() + "@" + event.occurredAt();
        recipient(organization, event.appointmentId()).ifPresent(r -> tell(event, kind, eventKey, r));
        if (kind == MessageKind.BOOKING_CONFIRMED) {
            for (UUID lapsed : waitlist.lapsedOffersOfTheSameSlot(organization, event.appointmentId())) {
                recipient(organization, lapsed)
                        .ifPresent(r -> tell(
                                event,
                                MessageKind.WAITLIST_SLOT_GONE,
                                "waitlist-gone:" + lapsed + ":" + event.appointmentId(),
                                r));
            }
        }
    }

    private void tell(AppointmentEvent event, MessageKind kind, String eventKey, Recipient r) {
        String reference = "appointment " + event.appointmentId();
        Map<String, Object> model = model(r, kind, event.previousStart());
        if (r.email() != null) {
            Map<String, Object> emailModel = new HashMap<>(model);
            emailModel.put("motive", r.motive());
            MailTemplates.Rendered mail = templates.render(kind, r.language(), emailModel);
            outbox.enqueue(new Message(
                    eventKey,
                    r.email(),
                    Message.Channel.EMAIL,
                    kind,
                    reference,
                    mail.subject(),
                    mail.text(),
                    mail.html(),
                    kind == MessageKind.BOOKING_CONFIRMED ? calendar(event.appointmentId(), r) : null));
        }
        if (r.phone() != null && MailTemplates.hasSms(kind)) {
            outbox.enqueue(new Message(
                    eventKey,
                    r.phone().e164(),
                    Message.Channel.SMS,
                    kind,
                    reference,
                    null,
                    templates.sms(kind, r.language(), model),
                    null,
                    null));
        }
    }

    private Message.Attachment calendar(UUID appointmentId, Recipient r) {
        return new Message.Attachment(
                "rendez-vous.ics",
                "text/calendar; charset=UTF-8",
                ICalendarEvent.of(
                                appointmentId,
                                r.start(),
                                r.end(),
                                r.zone(),
                                templates.word("calendar.summary", r.language(), r.practitioner(), r.organization()),
                                r.place() + ", " + r.address())
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** What every text of the kind may read; never the motive (added for email bodies alone). */
    private Map<String, Object> model(Recipient r, MessageKind kind, Instant previousStart) {
        Map<String, Object> model = new HashMap<>();
        model.put("when", templates.when(r.start(), r.zone(), r.language()));
        model.put("before", previousStart == null ? null : templates.when(previousStart, r.zone(), r.language()));
        model.put("practitioner", r.practitioner());
        model.put("place", r.place());
        model.put("address", r.address());
        model.put("reason", r.reason());
        boolean rebook = kind == MessageKind.APPOINTMENT_CANCELLED || kind == MessageKind.WAITLIST_SLOT_GONE;
        model.put("link", publicUrl + (rebook ? "/" : "/mes-rendez-vous"));
        return model;
    }

    /**
     * Who to tell, from the appointment's owners: booking, the patient file, the directory, the
     * account's language and choice of SMS. Never anyone for a decoy (a canary record stands for
     * nobody): the database hides them.
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
        UUID account = patient.get().accountId();
        Locale language = account == null ? Locale.FRENCH : scope.read(caller, () -> accounts.language(account));
        // SMS about an appointment is the patient's choice: someone filed by the desk made none.
        PhoneNumber phone = account != null && preferences.sms(account)
                ? PhoneNumber.read(patient.get().phone()).orElse(null)
                : null;
        String motive = policies.of(a.organizationId()).motiveInEmail() && a.motiveId() != null
                ? directory.motive(a.motiveId()).map(VisitMotive::label).orElse(null)
                : null;
        Site s = site.get();
        return Optional.of(new Recipient(
                patient.get().email(),
                phone,
                language,
                practitioner.get().displayName(),
                practitioner.get().organizationName(),
                s.name(),
                s.addressLine() + ", " + s.postcode() + " " + s.city(),
                a.cancelReason(),
                motive,
                a.start(),
                a.end(),
                s.timeZone()));
    }
}
