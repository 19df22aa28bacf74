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
import org.creneau.directory.VisitMotive;
import org.creneau.identity.Accounts;
import org.creneau.patients.OrgPatients;
import org.creneau.platform.PhoneNumber;
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

    /** Queues the messages of every reminder due at {@code now}; returns how many were queued. */
    int run(Instant now) {
        int queued = 0;
        while (true) {
            List<Due> due = claim(now);
            Map<UUID, List<Due>> byOrganization = new LinkedHashMap<>();
            due.forEach(d -> byOrganization
                    .computeIfAbsent(d.organizationId(), k -> new ArrayList<>())
                    .add(d));
            List<Message> messages = new ArrayList<>();
            for (Map.Entry<UUID, List<Due>> organization : byOrganization.entrySet()) {
                messages.addAll(messages(organization.getKey(), organization.getValue(), now));
            }
            // The batch's messages in one statement, and its reminders marked done in one more.
            queued += outbox.enqueueAll(messages);
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

    /** The batch's reminders are done: deleted in one statement, unless the appointment moved since. */
    private void done(List<Due> due) {
        if (due.isEmpty()) {
            return;
        }
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                DELETE FROM reminder r
                                 USING unnest(:ids, :leads, :starts) AS d(id, lead, start_at)
                                 WHERE r.appointment_id = d.id AND r.lead = d.lead
                                   AND r.start_at = CAST(d.start_at AS timestamptz)
                                """)
                        .param("ids", due.stream().map(Due::appointmentId).toArray(UUID[]::new))
                        .param("leads", due.stream().map(d -> d.lead().name()).toArray(String[]::new))
                        .param(
                                "starts",
                                due.stream().map(d -> d.start().toString()).toArray(String[]::new))
                        .update());
    }

    /**
     * One organization's due reminders as messages, read in one transaction of that organization: its
     * appointments, patient-file entries and account settings each in one read for the whole batch.
     */
    private List<Message> messages(UUID organizationId, List<Due> due, Instant now) {
        ReminderPolicies.Policy policy = policies.of(organizationId);
        Caller caller = new Caller.System(organizationId);
        List<Message> messages = new ArrayList<>();
        scope.read(caller, () -> {
            Map<UUID, AppointmentView> booked = new HashMap<>();
            for (AppointmentView a : appointments
                    .byIds(caller, due.stream().map(Due::appointmentId).toList())
                    .values()) {
                if (a.status() == AppointmentStatus.BOOKED && a.start().isAfter(now) && a.orgPatientId() != null) {
                    booked.put(a.id(), a);
                }
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
            Places places = new Places();
            for (Due d : due) {
                AppointmentView a = booked.get(d.appointmentId());
                // Moved since it was claimed: the move scheduled its own reminders.
                if (a == null || !a.start().equals(d.start())) {
                    continue;
                }
                OrgPatients.OrgPatient patient = patients.get(a.orgPatientId());
                if (patient == null) {
                    continue;
                }
                Accounts.MessageSettings wanted = patient.accountId() == null
                        ? Accounts.MessageSettings.DEFAULT
                        : settings.getOrDefault(patient.accountId(), Accounts.MessageSettings.DEFAULT);
                if (!wanted.reminders()) {
                    continue;
                }
                messages.addAll(messages(d, a, patient, wanted.language(), policy, places));
            }
            return null;
        });
        return messages;
    }

    /** The directory's practitioners, sites and motives a batch names, each read once. */
    private final class Places {
        private final Map<UUID, Optional<Practitioner>> practitioners = new HashMap<>();
        private final Map<UUID, Optional<Site>> sites = new HashMap<>();
        private final Map<UUID, Optional<String>> motives = new HashMap<>();

        Optional<Practitioner> practitioner(UUID id) {
            return practitioners.computeIfAbsent(id, directory::practitioner);
        }

        Optional<Site> site(UUID id) {
            return sites.computeIfAbsent(id, directory::site);
        }

        Optional<String> motive(UUID id) {
            return id == null
                    ? Optional.empty()
                    : motives.computeIfAbsent(id, m -> directory.motive(m).map(VisitMotive::label));
        }
    }

    private List<Message> messages(
            Due d,
            AppointmentView a,
            OrgPatients.OrgPatient patient,
            Locale language,
            ReminderPolicies.Policy policy,
            Places places) {
        Optional<Practitioner> practitioner = places.practitioner(a.practitionerId());
        Optional<Site> site = places.site(a.siteId());
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
            Map<String, Object> emailModel = model;
            if (policy.motiveInEmail()) {
                // The motive goes in the email's body only, on the organization's choice.
                emailModel = new HashMap<>(model);
                emailModel.put("motive", places.motive(a.motiveId()).orElse(null));
            }
            MailTemplates.Rendered mail = templates.render(MessageKind.REMINDER, language, emailModel);
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
        if (policy.sms().contains(d.lead())) {
            // Numbers stored before entries normalized them are read here; one that does not read gets none.
            PhoneNumber.read(patient.phone())
                    .ifPresent(phone -> messages.add(new Message(
                            eventKey,
                            phone.e164(),
                            Message.Channel.SMS,
                            MessageKind.REMINDER,
                            reference,
                            null,
                            templates.sms(MessageKind.REMINDER, language, model),
                            null,
                            null)));
        }
        return messages;
    }
}
