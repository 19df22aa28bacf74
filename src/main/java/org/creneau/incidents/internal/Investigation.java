package org.creneau.incidents.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentHistory;
import org.creneau.booking.AppointmentView;
import org.creneau.booking.Appointments;
import org.creneau.directory.Directory;
import org.creneau.directory.Organization;
import org.creneau.directory.Practitioner;
import org.creneau.identity.Accounts;
import org.creneau.incidents.internal.Findings.Access;
import org.creneau.incidents.internal.Findings.AppointmentRecord;
import org.creneau.incidents.internal.Findings.Integrity;
import org.creneau.incidents.internal.Findings.OrganizationRecords;
import org.creneau.incidents.internal.Findings.OtherRecord;
import org.creneau.incidents.internal.Findings.PatientRecord;
import org.creneau.incidents.internal.Findings.Timeline;
import org.creneau.journal.AccessRecord.ActorKind;
import org.creneau.journal.AppNames;
import org.creneau.journal.JournalTrail;
import org.creneau.journal.JournalTrail.Entry;
import org.creneau.journal.JournalVerifier;
import org.creneau.patients.OrgPatients;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.patients.PatientHistory;
import org.creneau.platform.RecordChange;
import org.springframework.stereotype.Component;

/**
 * Investigates one actor over a window: the journal's entries say which records it was shown or
 * wrote (an answer withheld or refused discloses nothing and is counted as an attempt); each
 * organization's own data, read as the platform acting for it, says what those records are; the
 * history gives the actor's writes with their values before and after; the verification of the
 * journal says whether all of that can be trusted.
 */
@Component
class Investigation {

    /** The outcomes of an entry whose answer was sent: the records in it were disclosed. */
    private static final Set<String> DISCLOSED = Set.of("READ", "CREATED", "UPDATED");

    /** Field names that carry contact details, in the JSON API's views and in FHIR resources. */
    private static final Pattern CONTACT = Pattern.compile("(?i).*(phone|email|telecom).*");

    /** The most bars the summary's chart draws; a longer run puts several minutes in a bar. */
    private static final int MAX_BARS = 240;

    private final JournalTrail trail;
    private final JournalVerifier verifier;
    private final AppointmentHistory appointmentHistory;
    private final PatientHistory patientHistory;
    private final Appointments appointments;
    private final OrgPatients orgPatients;
    private final TenantScope scope;
    private final Accounts accounts;
    private final Directory directory;
    private final AppNames appNames;

    Investigation(
            JournalTrail trail,
            JournalVerifier verifier,
            AppointmentHistory appointmentHistory,
            PatientHistory patientHistory,
            Appointments appointments,
            OrgPatients orgPatients,
            TenantScope scope,
            Accounts accounts,
            Directory directory,
            AppNames appNames) {
        this.trail = trail;
        this.verifier = verifier;
        this.appointmentHistory = appointmentHistory;
        this.patientHistory = patientHistory;
        this.appointments = appointments;
        this.orgPatients = orgPatients;
        this.scope = scope;
        this.accounts = accounts;
        this.directory = directory;
        this.appNames = appNames;
    }

    /** What is asked: the actor, the window, and the times of detection and containment if known. */
    record Question(ActorKind kind, UUID actorId, Instant from, Instant to, Instant detectedAt, Instant containedAt) {}

    Findings investigate(Question q, DataSource owner, Consumer<String> progress) {
        progress.accept("Reading the journal's entries of the actor...");
        List<Entry> entries = trail.of(owner, q.kind(), q.actorId(), q.from(), q.to());
        progress.accept(entries.size() + " journal entries in the window.");

        Map<UUID, Touched> byOrganization = new LinkedHashMap<>();
        int attempts = 0;
        int journaledWrites = 0;
        Set<UUID> writtenInJournal = new HashSet<>();
        for (Entry e : entries) {
            Touched touched = byOrganization.computeIfAbsent(e.organizationId(), k -> new Touched());
            if (!DISCLOSED.contains(e.outcome())) {
                attempts++;
                touched.attempts++;
                continue;
            }
            boolean wrote = !"READ".equals(e.outcome());
            if (wrote) {
                journaledWrites++;
                writtenInJournal.addAll(e.resourceIds());
            }
            boolean contact =
                    e.fields().stream().anyMatch(f -> CONTACT.matcher(f).matches());
            for (UUID id : e.resourceIds()) {
                switch (e.resourceType()) {
                    case "Appointment" -> {
                        touched.appointments
                                .computeIfAbsent(id, k -> new Seen())
                                .add(e, wrote);
                        if (contact) {
                            touched.contactAppointments.add(id);
                        }
                    }
                    case "Patient" -> {
                        touched.patients.computeIfAbsent(id, k -> new Seen()).add(e, wrote);
                        touched.patientFields
                                .computeIfAbsent(id, k -> new TreeSet<>())
                                .addAll(e.fields());
                        if (contact) {
                            touched.contactPatients.add(id);
                        }
                    }
                    default ->
                        touched.others
                                .computeIfAbsent(e.resourceType() + "/" + id, k -> new Seen())
                                .add(e, wrote);
                }
            }
        }

        List<OrganizationRecords> organizations = new ArrayList<>();
        Map<UUID, UUID> patientOfAppointment = new HashMap<>();
        int done = 0;
        for (Map.Entry<UUID, Touched> org : byOrganization.entrySet()) {
            done++;
            progress.accept("Organization " + done + " of " + byOrganization.size() + ": reading its records...");
            organizations.add(records(org.getKey(), org.getValue(), patientOfAppointment));
        }

        progress.accept("Reading the actor's changes from the history...");
        List<RecordChange> writes = new ArrayList<>(appointmentHistory.changedBy(owner, q.actorId(), q.from(), q.to()));
        writes.addAll(patientHistory.changedBy(owner, q.actorId(), q.from(), q.to()));
        writes.sort(Comparator.comparing(RecordChange::at));

        progress.accept("Verifying the journal...");
        JournalVerifier.Report verification = verifier.verify(owner);
        Integrity integrity = integrity(verification, writes, journaledWrites, writtenInJournal);

        List<JournalTrail.Freeze> freezes = trail.freezes(owner, q.actorId(), q.from());
        Instant detected = q.detectedAt() != null
                ? q.detectedAt()
                : freezes.isEmpty() ? null : freezes.get(0).at();
        Instant contained = q.containedAt() != null
                ? q.containedAt()
                : freezes.isEmpty() ? null : freezes.get(0).at();
        String detection = freezes.isEmpty() ? null : freezes.get(0).reason();

        Instant first = entries.isEmpty() ? null : entries.get(0).at();
        Instant last =
                entries.isEmpty() ? null : entries.get(entries.size() - 1).at();
        return new Findings(
                q.kind(),
                q.actorId(),
                actorName(q),
                q.from(),
                q.to(),
                first,
                last,
                detected,
                detection,
                contained,
                entries.size(),
                attempts,
                organizations,
                integrity,
                timeline(entries, patientOfAppointment, contained));
    }

    private String actorName(Question q) {
        if (q.kind() == ActorKind.APP) {
            return appNames.of(List.of(q.actorId())).getOrDefault(q.actorId(), "app " + q.actorId());
        }
        return "account " + q.actorId();
    }

    /** One organization's records, with what the organization's own data says of them now. */
    private OrganizationRecords records(UUID organizationId, Touched touched, Map<UUID, UUID> patientOfAppointment) {
        if (organizationId == null) {
            // Entries of no organization (a patient's own data, platform actions): identifiers only.
            return new OrganizationRecords(
                    null,
                    "(no organization)",
                    touched.appointments.entrySet().stream()
                            .map(a -> new AppointmentRecord(
                                    a.getKey(),
                                    a.getValue().access(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    touched.contactAppointments.contains(a.getKey())))
                            .toList(),
                    touched.patients.entrySet().stream()
                            .map(p -> new PatientRecord(
                                    p.getKey(),
                                    true,
                                    p.getValue().access(),
                                    touched.contactPatients.contains(p.getKey()),
                                    List.copyOf(touched.patientFields.get(p.getKey())),
                                    List.of(),
                                    null,
                                    null,
                                    null,
                                    Locale.FRENCH))
                            .toList(),
                    others(touched),
                    touched.attempts);
        }
        Caller.System platform = new Caller.System(organizationId);
        Map<UUID, AppointmentView> views = appointments.byIds(platform, touched.appointments.keySet());
        // Patients reached: read directly, or named by an appointment read (its participant).
        Map<UUID, Seen> reached = new LinkedHashMap<>();
        Map<UUID, List<UUID>> appointmentsOfPatient = new HashMap<>();
        Set<UUID> contactReached = new HashSet<>(touched.contactPatients);
        touched.patients.forEach(
                (id, seen) -> reached.computeIfAbsent(id, k -> new Seen()).merge(seen));
        touched.appointments.forEach((id, seen) -> {
            AppointmentView view = views.get(id);
            if (view != null && view.orgPatientId() != null) {
                patientOfAppointment.put(id, view.orgPatientId());
                reached.computeIfAbsent(view.orgPatientId(), k -> new Seen()).merge(seen);
                appointmentsOfPatient
                        .computeIfAbsent(view.orgPatientId(), k -> new ArrayList<>())
                        .add(id);
                if (touched.contactAppointments.contains(id)) {
                    contactReached.add(view.orgPatientId());
                }
            }
        });
        Map<UUID, OrgPatient> people = scope.read(platform, () -> orgPatients.byIds(reached.keySet()));
        Map<UUID, Accounts.MessageSettings> settings = accounts.messageSettings(people.values().stream()
                .map(OrgPatient::accountId)
                .filter(a -> a != null)
                .distinct()
                .toList());
        Map<UUID, String> practitioners = new HashMap<>();
        List<AppointmentRecord> appointmentRecords = new ArrayList<>();
        touched.appointments.forEach((id, seen) -> {
            AppointmentView view = views.get(id);
            appointmentRecords.add(new AppointmentRecord(
                    id,
                    seen.access(),
                    view == null ? null : view.start(),
                    view == null ? null : practitioners.computeIfAbsent(view.practitionerId(), this::practitionerName),
                    view == null ? null : view.orgPatientId(),
                    view == null ? null : view.status().name(),
                    touched.contactAppointments.contains(id)));
        });
        List<PatientRecord> patientRecords = new ArrayList<>();
        reached.forEach((id, seen) -> {
            OrgPatient person = people.get(id);
            Set<String> fields = new TreeSet<>(touched.patientFields.getOrDefault(id, Set.of()));
            if (appointmentsOfPatient.containsKey(id)) {
                fields.add("appointment (reference)");
            }
            Locale language = person == null || person.accountId() == null
                    ? Locale.FRENCH
                    : settings.getOrDefault(person.accountId(), Accounts.MessageSettings.DEFAULT)
                            .language();
            patientRecords.add(new PatientRecord(
                    id,
                    touched.patients.containsKey(id),
                    seen.access(),
                    contactReached.contains(id),
                    List.copyOf(fields),
                    appointmentsOfPatient.getOrDefault(id, List.of()),
                    person == null ? null : person.firstName(),
                    person == null ? null : person.lastName(),
                    person == null ? null : person.birthDate(),
                    language));
        });
        String name =
                directory.organization(organizationId).map(Organization::name).orElse("organization " + organizationId);
        return new OrganizationRecords(
                organizationId, name, appointmentRecords, patientRecords, others(touched), touched.attempts);
    }

    private static List<OtherRecord> others(Touched touched) {
        return touched.others.entrySet().stream()
                .map(o -> {
                    String[] typeAndId = o.getKey().split("/", 2);
                    return new OtherRecord(
                            typeAndId[0],
                            UUID.fromString(typeAndId[1]),
                            o.getValue().access());
                })
                .toList();
    }

    private String practitionerName(UUID id) {
        return directory
                .practitioner(id)
                .map(Practitioner::lastName)
                .map(n -> "Dr " + n)
                .orElse(id.toString());
    }

    private static Integrity integrity(
            JournalVerifier.Report verification,
            List<RecordChange> writes,
            int journaledWrites,
            Set<UUID> writtenInJournal) {
        List<String> cannotProve = new ArrayList<>();
        if (!verification.intact()) {
            cannotProve.add(
                    "The journal does not verify (" + verification.problems().size()
                            + " problem(s), listed below): entries were changed, removed or cut, so the records listed here"
                            + " may be incomplete and nothing can be said of what the actor did not do.");
        }
        if (!writes.isEmpty() || journaledWrites > 0) {
            cannotProve.add(
                    "The actor wrote: " + journaledWrites + " journal entr" + (journaledWrites == 1 ? "y" : "ies")
                            + " of writes, " + writes.size() + " change(s) in the history, with their values before and"
                            + " after below. Those records were altered by the actor.");
        }
        Set<UUID> inHistory = new HashSet<>();
        writes.forEach(w -> inHistory.add(w.recordId()));
        Set<UUID> historyOnly = new LinkedHashSet<>(inHistory);
        historyOnly.removeAll(writtenInJournal);
        if (!historyOnly.isEmpty()) {
            cannotProve.add("The history holds changes by the actor to " + historyOnly.size()
                    + " record(s) that no journal entry of a write names (a side effect of a journaled write, such as"
                    + " a patient filed by a booking, or a journal that lost entries): " + historyOnly);
        }
        Set<UUID> journalOnly = new LinkedHashSet<>(writtenInJournal);
        journalOnly.removeAll(inHistory);
        if (!journalOnly.isEmpty()) {
            cannotProve.add("The journal records writes by the actor to " + journalOnly.size()
                    + " record(s) with no change in the history (made before the history began, or the history"
                    + " was altered): " + journalOnly);
        }
        if (!verification.findings().isEmpty()) {
            cannotProve.add("The newest journal entries are not all covered by a signed checkpoint yet: entries"
                    + " after the last checkpoint could have been cut unseen (see the verification's findings).");
        }
        cannotProve.add("Whatever the verdict, this cannot prove: a change made directly in the database by someone"
                + " holding its owner's role, outside the application (that role can also turn the history's triggers"
                + " off); what the actor did with what it read; accesses made with someone else's credentials.");
        boolean noRecordAltered = verification.intact() && writes.isEmpty() && journaledWrites == 0;
        return new Integrity(
                verification.intact(),
                verification.entries(),
                verification.chains(),
                verification.checkpoints(),
                verification.problems(),
                verification.findings(),
                writes,
                journaledWrites,
                noRecordAltered,
                cannotProve);
    }

    /** Requests and distinct patients so far, per bar of one minute or more, up to containment. */
    private static Timeline timeline(List<Entry> entries, Map<UUID, UUID> patientOfAppointment, Instant contained) {
        if (entries.isEmpty()) {
            return new Timeline(null, List.of());
        }
        Instant start = entries.get(0).at().truncatedTo(ChronoUnit.MINUTES);
        Instant end = entries.get(entries.size() - 1).at();
        if (contained != null && contained.isAfter(end)) {
            end = contained;
        }
        long span = Duration.between(start, end).toMinutes() + 1;
        long perBar = Math.max(1, (span + MAX_BARS - 1) / MAX_BARS);
        int bars = (int) ((span + perBar - 1) / perBar);
        int[] requests = new int[bars];
        int[] patients = new int[bars];
        Set<UUID> seen = new HashSet<>();
        for (Entry e : entries) {
            int bar = (int) Math.min(bars - 1, Duration.between(start, e.at()).toMinutes() / perBar);
            requests[bar]++;
            if (DISCLOSED.contains(e.outcome())) {
                for (UUID id : e.resourceIds()) {
                    UUID patient = "Patient".equals(e.resourceType()) ? id : patientOfAppointment.get(id);
                    if (patient != null) {
                        seen.add(patient);
                    }
                }
            }
            patients[bar] = seen.size();
        }
        List<Timeline.Minute> minutes = new ArrayList<>();
        int soFar = 0;
        for (int i = 0; i < bars; i++) {
            soFar = Math.max(soFar, patients[i]);
            minutes.add(new Timeline.Minute(start.plus(Duration.ofMinutes(i * perBar)), requests[i], soFar));
        }
        return new Timeline(start, minutes);
    }

    /** What the journal says the actor touched in one organization. */
    private static final class Touched {
        final Map<UUID, Seen> appointments = new LinkedHashMap<>();
        final Map<UUID, Seen> patients = new LinkedHashMap<>();
        final Map<UUID, Set<String>> patientFields = new HashMap<>();
        final Map<String, Seen> others = new LinkedHashMap<>();
        final Set<UUID> contactAppointments = new HashSet<>();
        final Set<UUID> contactPatients = new HashSet<>();
        int attempts;
    }

    /** How one record was touched, gathered entry by entry. */
    private static final class Seen {
        boolean read;
        boolean wrote;
        Instant first;
        Instant last;
        int times;

        void add(Entry e, boolean write) {
            read |= !write;
            wrote |= write;
            first = first == null || e.at().isBefore(first) ? e.at() : first;
            last = last == null || e.at().isAfter(last) ? e.at() : last;
            times++;
        }

        void merge(Seen other) {
            read |= other.read;
            wrote |= other.wrote;
            first = first == null || (other.first != null && other.first.isBefore(first)) ? other.first : first;
            last = last == null || (other.last != null && other.last.isAfter(last)) ? other.last : last;
            times += other.times;
        }

        Access access() {
            return new Access(read, wrote, first, last, times);
        }
    }
}
