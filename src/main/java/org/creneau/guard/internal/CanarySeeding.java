package org.creneau.guard.internal;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.DecoyAppointments;
import org.creneau.booking.DecoyAppointments.AgendaEntry;
import org.creneau.booking.DecoyAppointments.NewDecoyAppointment;
import org.creneau.directory.Directory;
import org.creneau.directory.Directory.AgendaOutline;
import org.creneau.patients.DecoyPatients;
import org.creneau.patients.DecoyPatients.NewDecoyPatient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives every agenda of every organization its canary records: decoy appointments laid among its real
 * past appointments, in their shape (a real neighbour's motive, site, length and status, next to it in
 * the day), so that no more than {@code creneau.guard.canary-spacing} + 1 real appointments (default 21)
 * follow each other without one, each for a decoy patient of the file with
 * a plausible name and birth date. None falls on yesterday, today or any day to come: that is what a
 * practice-software sync reads, and what patients book. Nothing a practice or a patient does reaches
 * them (the decoy wall hides them, and they hold no time); an app sweeping the history does, within
 * a few dozen appointments of any agenda. Run every day, a pass extends them to the appointments that
 * have become past since, from the agenda's latest decoy on; it is idempotent and takes a lock per
 * organization, so it can run at every start and on any number of nodes.
 */
@Component
public class CanarySeeding {

    /** How far back decoys are laid: the history a sweep wants. */
    static final int HISTORY_MONTHS = 30;

    /** Days before today left without decoys: yesterday (a sync's "since yesterday"), and today on. */
    static final int QUIET_DAYS = 1;

    private static final Logger log = LoggerFactory.getLogger(CanarySeeding.class);
    private static final int ORGANIZATIONS_PER_BATCH = 500;
    private static final int MAX_AGENDAS = 10_000;
    private static final UUID BEFORE_EVERY_ID = new UUID(0, 0);
    private static final List<AppointmentStatus> KEPT_STATUSES = List.of(
            AppointmentStatus.BOOKED,
            AppointmentStatus.ARRIVED,
            AppointmentStatus.SEEN,
            AppointmentStatus.NO_SHOW,
            AppointmentStatus.CANCELLED);

    // Plausible French names; the guard keeps its own list, since demo data is off in production.
    private static final List<String> FIRST_NAMES = List.of(
            "Adèle",
            "Agathe",
            "Albane",
            "Aurore",
            "Bastien",
            "Blandine",
            "Corentin",
            "Cyprien",
            "Delphine",
            "Edmond",
            "Eulalie",
            "Firmin",
            "Gaspard",
            "Ghislaine",
            "Honorine",
            "Josselin",
            "Léonie",
            "Marius",
            "Maxence",
            "Ombeline",
            "Pétronille",
            "Philémon",
            "Quentin",
            "Solène",
            "Tiphaine",
            "Valentin",
            "Victorine",
            "Yvon");
    private static final List<String> LAST_NAMES = List.of(
            "Aubertin",
            "Bazin",
            "Bellanger",
            "Carpentier",
            "Chevallier",
            "Delattre",
            "Duchêne",
            "Ferrand",
            "Gaudin",
            "Guillot",
            "Hamelin",
            "Jacquemin",
            "Lacombe",
            "Leclercq",
            "Lemaître",
            "Marchal",
            "Mallet",
            "Pasquier",
            "Perrot",
            "Poirier",
            "Rigaud",
            "Tessier",
            "Vasseur",
            "Verdier");

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final Directory directory;
    private final DecoyPatients decoyPatients;
    private final DecoyAppointments decoyAppointments;
    private final Clock clock;
    private final int spacing;
    private final SecureRandom random = new SecureRandom();

    CanarySeeding(
            TenantScope scope,
            JdbcClient jdbc,
            Directory directory,
            DecoyPatients decoyPatients,
            DecoyAppointments decoyAppointments,
            Clock clock,
            @Value("${creneau.guard.canary-spacing:20}") int spacing) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.directory = directory;
        this.decoyPatients = decoyPatients;
        this.decoyAppointments = decoyAppointments;
        this.clock = clock;
        this.spacing = Math.max(2, spacing);
    }

    /**
     * Seeds every organization; returns how many records were written. An organization that fails is
     * logged and left for the next pass.
     */
    public int seedAll() {
        int written = 0;
        int organizations = 0;
        UUID after = BEFORE_EVERY_ID;
        while (true) {
            List<UUID> batch = directory.organizationIds(after, ORGANIZATIONS_PER_BATCH);
            for (UUID organizationId : batch) {
                try {
                    int count = seed(organizationId);
                    written += count;
                    organizations += count > 0 ? 1 : 0;
                } catch (RuntimeException e) {
                    log.warn("Canary records of organization {} not seeded", organizationId, e);
                }
            }
            if (batch.size() < ORGANIZATIONS_PER_BATCH) {
                break;
            }
            after = batch.get(batch.size() - 1);
        }
        if (written > 0) {
            log.info("Wrote {} canary records in {} organizations", written, organizations);
        }
        return written;
    }

    /**
     * Lays one organization's decoys, as their keeper in it, on each of its agendas: from the agenda's
     * latest decoy (or {@value #HISTORY_MONTHS} months back) to the day before yesterday. Returns how many
     * records (appointments and patients) were written.
     */
    public int seed(UUID organizationId) {
        // The keeper is the one caller that sees and writes decoys (V17); every other query is blind to them.
        return scope.write(new Caller.CanaryKeeper(organizationId), () -> {
            // Two nodes seeding at once would both find the same gaps.
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('canaries:' || :org, 0))")
                    .param("org", organizationId.toString())
                    .query()
                    .singleRow();
            Instant now = clock.instant();
            List<UUID> patients = new ArrayList<>(decoyPatients.of(organizationId));
            int written = 0;
            for (AgendaOutline agenda : directory.agendaOutlines(organizationId, MAX_AGENDAS)) {
                written += seedAgenda(organizationId, agenda, patients, now);
            }
            return written;
        });
    }

    /**
     * Walks the agenda's appointments in time order and, whenever {@link #spacing} real ones follow each
     * other without a decoy, places one next to one of them, taken at random, where no appointment is.
     */
    private int seedAgenda(UUID organizationId, AgendaOutline agenda, List<UUID> patients, Instant now) {
        ZoneId zone = agenda.zone();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Instant to = today.minusDays(QUIET_DAYS).atStartOfDay(zone).toInstant();
        Instant from = today.minusMonths(HISTORY_MONTHS).atStartOfDay(zone).toInstant();
        Instant latest = decoyAppointments
                .latestDecoy(organizationId, agenda.practitionerId(), to)
                .filter(at -> at.isAfter(from))
                .orElse(from);
        List<AgendaEntry> entries = decoyAppointments.agenda(organizationId, agenda.practitionerId(), latest, to);
        // Time taken by an appointment that holds it (a cancelled one does not), decoys included.
        TreeMap<Instant, Instant> taken = new TreeMap<>();
        for (AgendaEntry e : entries) {
            if (e.decoy() || e.status() != AppointmentStatus.CANCELLED) {
                taken.merge(e.start(), e.end(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        int written = 0;
        List<AgendaEntry> run = new ArrayList<>();
        for (AgendaEntry e : entries) {
            if (e.decoy()) {
                run.clear();
                continue;
            }
            run.add(e);
            if (run.size() < spacing) {
                continue;
            }
            int patientsBefore = patients.size();
            int neighbour = placeAmong(organizationId, agenda, run, taken, patients, to);
            if (neighbour >= 0) {
                written += 1 + patients.size() - patientsBefore;
                run = new ArrayList<>(run.subList(neighbour + 1, run.size()));
            }
        }
        // The latest appointments before the quiet days get theirs too, once they are half a spacing, and
        // an agenda with a short history gets its first one at once.
        // Placed among the run's later half, so that fewer than half a spacing follow it: the next pass
        // finds nothing to do until time brings new past appointments.
        boolean none = written == 0 && entries.stream().noneMatch(AgendaEntry::decoy);
        if (!run.isEmpty() && (run.size() * 2 >= spacing || none)) {
            int patientsBefore = patients.size();
            List<AgendaEntry> laterHalf = run.subList(run.size() / 2, run.size());
            if (placeAmong(organizationId, agenda, laterHalf, taken, patients, to) >= 0) {
                written += 1 + patients.size() - patientsBefore;
            }
        }
        return written;
    }

    /**
     * Places a decoy right after or right before one of these real appointments, tried in random order,
     * where no appointment holds the time, and before {@code to}; returns the neighbour's index in
     * {@code run}, or -1 when every neighbour is hemmed in (the next real appointment is tried then).
     */
    private int placeAmong(
            UUID organizationId,
            AgendaOutline agenda,
            List<AgendaEntry> run,
            TreeMap<Instant, Instant> taken,
            List<UUID> patients,
            Instant to) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        for (int i : order) {
            AgendaEntry neighbour = run.get(i);
            Duration length = Duration.between(neighbour.start(), neighbour.end());
            boolean afterFirst = random.nextBoolean();
            for (Instant start : afterFirst
                    ? List.of(neighbour.end(), neighbour.start().minus(length))
                    : List.of(neighbour.start().minus(length), neighbour.end())) {
                Instant end = start.plus(length);
                if (!end.isAfter(to) && free(taken, start, end)) {
                    taken.put(start, end);
                    place(organizationId, agenda, neighbour, start, end, patients, to);
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean free(TreeMap<Instant, Instant> taken, Instant start, Instant end) {
        Map.Entry<Instant, Instant> before = taken.lowerEntry(end);
        // Appointments do not overlap one another, so the latest one starting before the end is the one to check...
        while (before != null) {
            if (before.getValue().isAfter(start)) {
                return false;
            }
            // ...unless a long one started earlier still: look further back while starts are within a day.
            if (before.getKey().isBefore(start.minus(Duration.ofHours(24)))) {
                return true;
            }
            before = taken.lowerEntry(before.getKey());
        }
        return true;
    }

    /**
     * An existing decoy patient for one decoy in three (people come back), else a new one, filed some
     * time before {@code booked}.
     */
    private UUID patientFor(UUID organizationId, List<UUID> patients, Instant booked) {
        if (!patients.isEmpty() && random.nextInt(3) == 0) {
            return patients.get(random.nextInt(patients.size()));
        }
        UUID id =
                decoyPatients.file(organizationId, newPatient(booked.minus(Duration.ofHours(random.nextInt(90 * 24)))));
        patients.add(id);
        return id;
    }

    /** The decoy in its neighbour's shape: motive, site, specialty, status, and a booking some days before. */
    private void place(
            UUID organizationId,
            AgendaOutline agenda,
            AgendaEntry neighbour,
            Instant start,
            Instant end,
            List<UUID> patients,
            Instant to) {
        AppointmentStatus status =
                KEPT_STATUSES.contains(neighbour.status()) ? neighbour.status() : AppointmentStatus.SEEN;
        boolean cancelled = status == AppointmentStatus.CANCELLED;
        Instant booked = start.minus(Duration.ofHours(2 + random.nextInt(40 * 24)));
        Instant updated = switch (status) {
            case BOOKED -> booked;
            case CANCELLED -> start.minus(Duration.ofHours(1 + random.nextInt(48)));
            default -> end.plus(Duration.ofMinutes(random.nextInt(30)));
        };
        if (updated.isBefore(booked)) {
            updated = booked;
        }
        if (updated.isAfter(to)) {
            updated = to;
        }
        UUID patient = patientFor(organizationId, patients, booked);
        decoyAppointments.place(new NewDecoyAppointment(
                organizationId,
                agenda.practitionerId(),
                neighbour.siteId(),
                neighbour.motiveId(),
                neighbour.specialtyCode(),
                patient,
                start,
                end,
                status,
                cancelled ? (neighbour.cancelReason() == null ? "Empêchement" : neighbour.cancelReason()) : null,
                cancelled ? (neighbour.cancelledBy() == null ? "PATIENT" : neighbour.cancelledBy()) : null,
                booked,
                updated));
    }

    private NewDecoyPatient newPatient(Instant filedAt) {
        String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
        String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(80 * 365));
        return new NewDecoyPatient(
                first,
                last,
                birth,
                // Numbers the regulator (ARCEP) keeps for fiction (06 39 98 ..), in E.164 like every real
                // entry's, and a domain reserved for examples (RFC 2606).
                String.format("+3363998%02d%02d", random.nextInt(100), random.nextInt(100)),
                ascii(first) + "." + ascii(last) + "@example.org",
                filedAt);
    }

    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }
}
