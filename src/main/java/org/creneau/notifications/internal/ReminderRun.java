package org.creneau.notifications.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.AppointmentView;
import org.creneau.booking.Appointments;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.identity.Accounts;
import org.creneau.patients.OrgPatients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The reminder run: takes the reminders due now (by {@code due_at}, an index range), a batch at a
 * time with {@code FOR UPDATE SKIP LOCKED} so several nodes share the work, and queues the messages
 * the organization's choice asks for: by email, by SMS, or none. Nothing for an appointment no
 * longer booked, or for a patient who turned reminders off. Each message's key (appointment, lead,
 * start) keeps it once, whatever runs again; a run killed midway leaves its batch to the next run
 * once its claim lapses.
 */
@Component
class ReminderRun {

    private static final Logger log = LoggerFactory.getLogger(ReminderRun.class);
    private static final int BATCH = 500;
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Appointments appointments;
    private final OrgPatients orgPatients;
    private final Directory directory;
    private final Accounts accounts;
    private final ReminderPolicies policies;
    private final MailTemplates templates;
    private final Outbox outbox;
    private final Clock clock;
    private final String publicUrl;

    ReminderRun(
            JdbcClient jdbc,
            TenantScope scope,
            Appointments appointments,
            OrgPatients orgPatients,
            Directory directory,
            Accounts accounts,
            ReminderPolicies policies,
            MailTemplates templates,
            Outbox outbox,
            Clock clock,
            @Value("${creneau.public-url}") String publicUrl) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.appointments = appointments;
        this.orgPatients = orgPatients;
        this.directory = directory;
        this.accounts = accounts;
        this.policies = policies;
        this.templates = templates;
        this.outbox = outbox;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    record Due(UUID appointmentId, UUID organizationId, ReminderLead lead, Instant start) {}

    @Scheduled(
            initialDelayString = "${creneau.messages.reminder-interval:PT1M}",
            fixedDelayString = "${creneau.messages.reminder-interval:PT1M}")
    void runDue() {
        run(clock.instant());
    }

    /** Queues the messages of every reminder due at {@code now}; returns how many messages were queued. */
    int run(Instant now) {
        int queued = 0;
        while (true) {
            List<Due> due = claim(now);
            Map<UUID, List<Due>> byOrganization = new LinkedHashMap<>();
            due.forEach(d -> byOrganization
                    .computeIfAbsent(d.organizationId(), k -> new ArrayList<>())
                    .add(d));
            for (Map.Entry<UUID, List<Due>> organization : byOrganization.entrySet()) {
                List<Message> messages = messages(organization.getKey(), organization.getValue(), now);
                queued += outbox.enqueueAll(messages);
            }
            done(due);
            if (due.size() < BATCH) {
                if (queued > 0) {
                    log.info("Reminder run: {} message(s) queued", queued);
                }
                return queued;
            }
        }
    }

    private List<Due> claim(Instant now) {
        return scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                UPDATE reminder r SET due_at = :lapse
                                 WHERE (r.appointment_id, r.lead) IN
                                       (SELECT q.appointment_id, q.lead FROM reminder q WHERE q.due_at <= :now
                                         ORDER BY q.due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                                RETURNING r.appointment_id, r.organization_id, r.lead, r.start_at
                                """)
                        .param("lapse", now.plus(CLAIM).atOffset(ZoneOffset.UTC))
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("limit", BATCH)
                        .query((rs, i) -> new Due(
                                rs.getObject("appointment_id", UUID.class),
                                rs.getObject("organization_id", UUID.class),
                                ReminderLead.valueOf(rs.getString("lead")),
                                rs.getTimestamp("start_at").toInstant()))
                        .list());
    }

    private void done(List<Due> due) {
        if (due.isEmpty()) {
            return;
        }
        scope.write(Caller.ANONYMOUS, () -> {
            for (Due d : due) {
                jdbc.sql("DELETE FROM reminder WHERE appointment_id = :id AND lead = :lead AND start_at = :start")
                        .param("id", d.appointmentId())
                        .param("lead", d.lead().name())
                        .param("start", d.start().atOffset(ZoneOffset.UTC))
                        .update();
            }
        });
    }

    /** One organization's due reminders as messages, read in one transaction of that organization. */
    private List<Message> messages(UUID organizationId, List<Due> due, Instant now) {
        ReminderPolicies.Policy policy = policies.of(organizationId);
        Caller caller = new Caller.System(organizationId);
        List<Message> messages = new ArrayList<>();
        scope.read(caller, () -> {
            Map<UUID, AppointmentView> booked = new HashMap<>();
            for (Due d : due) {
                appointments
                        .byId(caller, d.appointmentId())
                        .filter(a -> a.status() == AppointmentStatus.BOOKED)
                        .filter(a -> a.start().equals(d.start()) && a.start().isAfter(now))
                        .filter(a -> a.orgPatientId() != null)
                        .ifPresent(a -> booked.put(a.id(), a));
            }
            Map<UUID, OrgPatients.OrgPatient> patients = orgPatients.byIds(booked.values().stream()
                    .map(AppointmentView::orgPatientId)
                    .distinct()
                    .toList());
            Map<UUID, Accounts.MessageSettings> settings = accounts.messageSettings(patients.values().stream()
                    .map(OrgPatients.OrgPatient::accountId)
                    .filter(id -> id != null)
                    .distinct()
                    .toList());
            for (Due d : due) {
                AppointmentView a = booked.get(d.appointmentId());
                OrgPatients.OrgPatient patient = a == null ? null : patients.get(a.orgPatientId());
                if (patient == null) {
                    continue;
                }
                Accounts.MessageSettings wanted = patient.accountId() == null
                        ? Accounts.MessageSettings.DEFAULT
                        : settings.getOrDefault(patient.accountId(), Accounts.MessageSettings.DEFAULT);
                if (!wanted.reminders()) {
                    continue;
                }
                messages.addAll(messages(d, a, patient, wanted.language(), policy));
            }
            return null;
        });
        return messages;
    }

    private List<Message> messages(
            Due d, AppointmentView a, OrgPatients.OrgPatient patient, Locale language, ReminderPolicies.Policy policy) {
        Optional<Practitioner> practitioner = directory.practitioner(a.practitionerId());
        Optional<Site> site = directory.site(a.siteId());
        if (practitioner.isEmpty() || site.isEmpty()) {
            return List.of();
        }
        Site s = site.get();
        Map<String, Object> model = new HashMap<>();
        model.put("when", templates.when(a.start(), s.timeZone(), language));
        model.put("practitioner", practitioner.get().displayName());
        model.put("place", s.name());
        model.put("address", s.addressLine() + ", " + s.postcode() + " " + s.city());
        model.put("link", publicUrl + "/mes-rendez-vous");
        model.put("optOutLink", publicUrl + "/mon-compte");
        String eventKey = "reminder:" + a.id() + ":" + d.lead() + "@" + a.start();
        String reference = "appointment " + a.id();
        List<Message> messages = new ArrayList<>();
        if (policy.email().contains(d.lead()) && patient.email() != null) {
            MailTemplates.Rendered mail = templates.render(MessageKind.REMINDER, language, model);
            messages.add(new Message(
                    eventKey,
                    patient.email(),
                    Message.Channel.EMAIL,
                    MessageKind.REMINDER,
                    reference,
                    mail.subject(),
                    mail.text(),
                    mail.html(),
                    null));
        }
        if (policy.sms().contains(d.lead()) && patient.phone() != null) {
            messages.add(new Message(
                    eventKey,
                    patient.phone(),
                    Message.Channel.SMS,
                    MessageKind.REMINDER,
                    reference,
                    null,
                    templates.sms(MessageKind.REMINDER, language, model),
                    null,
                    null));
        }
        return messages;
    }
}
