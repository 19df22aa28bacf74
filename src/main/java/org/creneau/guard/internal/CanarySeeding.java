package org.creneau.guard.internal;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.DecoyAppointments;
import org.creneau.booking.DecoyAppointments.NewDecoyAppointment;
import org.creneau.booking.DecoyAppointments.PlacedDecoy;
import org.creneau.directory.Directory;
import org.creneau.directory.Directory.AgendaOutline;
import org.creneau.directory.Site;
import org.creneau.patients.DecoyPatients;
import org.creneau.patients.DecoyPatients.NewDecoyPatient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives every organization its canary records: a few decoy patients in its file, each with one
 * appointment long past (13 to 30 months) and one far ahead (13 to 24 months) on a real agenda,
 * at night, booked. Nothing a practice or a patient does reaches them (every legitimate query
 * leaves decoys out, and they hold no time), and a connected app syncing near dates never meets
 * them; an app that sweeps the file does. Idempotent: an organization that has its decoys gets
 * none more, so the pass can run at every start and every day, on any number of nodes.
 */
@Component
public class CanarySeeding {

    /** Decoy patients per organization. */
    static final int DECOY_PATIENTS = 3;

    private static final Logger log = LoggerFactory.getLogger(CanarySeeding.class);
    private static final int ORGANIZATIONS_PER_BATCH = 500;
    private static final int MAX_AGENDAS = 50;
    private static final UUID BEFORE_EVERY_ID = new UUID(0, 0);

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
    private final SecureRandom random = new SecureRandom();

    CanarySeeding(
            TenantScope scope,
            JdbcClient jdbc,
            Directory directory,
            DecoyPatients decoyPatients,
            DecoyAppointments decoyAppointments,
            Clock clock) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.directory = directory;
        this.decoyPatients = decoyPatients;
        this.decoyAppointments = decoyAppointments;
        this.clock = clock;
    }

    /**
     * Seeds every organization that lacks decoys, and moves decoys that time has brought near the
     * present; returns how many records were written. An organization that fails is logged and
     * left for the next pass.
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
     * Gives one organization its decoys, as their keeper in it: the missing decoy patients,
     * two appointments for each decoy patient that has none (when the organization has an agenda
     * with a motive), and a new far date for any decoy appointment now within 13 months of today.
     * Returns how many records were written or moved.
     */
    public int seed(UUID organizationId) {
        // The keeper is the one caller that sees and writes decoys (V17); every other query is blind to them.
        return scope.write(new Caller.CanaryKeeper(organizationId), () -> {
            // Two nodes seeding at once would both find the organization without decoys.
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('canaries:' || :org, 0))")
                    .param("org", organizationId.toString())
                    .query()
                    .singleRow();
            Instant now = clock.instant();
            int written = 0;
            List<UUID> patients = new ArrayList<>(decoyPatients.of(organizationId));
            while (patients.size() < DECOY_PATIENTS) {
                patients.add(decoyPatients.file(organizationId, newPatient(now)));
                written++;
            }
            List<AgendaOutline> agendas = directory.agendaOutlines(organizationId, MAX_AGENDAS);
            if (!agendas.isEmpty()) {
                Set<UUID> withAppointments = decoyAppointments.patientsWithDecoys(organizationId, patients);
                for (UUID patient : patients) {
                    if (withAppointments.contains(patient)) {
                        continue;
                    }
                    AgendaOutline agenda = agendas.get(random.nextInt(agendas.size()));
                    placeAppointment(organizationId, agenda, patient, pastDate(now, agenda.zone()), now);
                    placeAppointment(organizationId, agenda, patient, futureDate(now, agenda.zone()), now);
                    written += 2;
                }
            }
            return written + moveNearOnes(organizationId, now);
        });
    }

    private NewDecoyPatient newPatient(Instant now) {
        String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
        String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(70 * 365));
        return new NewDecoyPatient(
                first,
                last,
                birth,
                // Numbers the regulator (ARCEP) keeps for fiction (06 39 98 ..), in E.164 like every real
                // entry's, and a domain reserved for examples (RFC 2606).
                String.format("+3363998%02d%02d", random.nextInt(100), random.nextInt(100)),
                ascii(first) + "." + ascii(last) + "@example.org",
                now.minus(Duration.ofDays(400 + random.nextInt(500))));
    }

    private void placeAppointment(
            UUID organizationId, AgendaOutline agenda, UUID patientId, LocalDate day, Instant now) {
        Instant start = nightTime(day, agenda.zone());
        // Booked some days before it, as real ones are; never later than now.
        Instant booked = start.isBefore(now)
                ? start.minus(Duration.ofDays(3 + random.nextInt(40)))
                : now.minus(Duration.ofDays(1 + random.nextInt(30)));
        decoyAppointments.place(new NewDecoyAppointment(
                organizationId,
                agenda.practitionerId(),
                agenda.siteId(),
                agenda.motiveId(),
                agenda.specialtyCode(),
                patientId,
                start,
                start.plus(agenda.motiveLength()),
                booked));
    }

    /**
     * Decoys far ahead come nearer every day; once within 13 months, one could meet a legitimate
     * search of near dates, so it moves again to 13 to 24 months ahead.
     */
    private int moveNearOnes(UUID organizationId, Instant now) {
        ZonedDateTime today = now.atZone(ZoneOffset.UTC);
        List<PlacedDecoy> near = decoyAppointments.startingBetween(
                organizationId,
                today.minusMonths(13).toInstant(),
                today.plusMonths(13).toInstant());
        for (PlacedDecoy n : near) {
            ZoneId zone = directory.site(n.siteId()).map(Site::timeZone).orElse(ZoneOffset.UTC);
            Instant start = nightTime(futureDate(now, zone), zone);
            decoyAppointments.move(n.id(), start, start.plus(Duration.between(n.start(), n.end())), now);
        }
        return near.size();
    }

    /** A day 13 to 30 months ago (exclusive), in the site's zone. */
    private LocalDate pastDate(Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        return between(today.minusMonths(30), today.minusMonths(13));
    }

    /** A day 13 to 24 months ahead (exclusive): beyond any booking horizon a search lays out. */
    private LocalDate futureDate(Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        return between(today.plusMonths(13), today.plusMonths(24));
    }

    private LocalDate between(LocalDate first, LocalDate last) {
        long days = ChronoUnit.DAYS.between(first, last);
        return first.plusDays(1 + random.nextLong(days - 1));
    }

    /** Between 02:00 and 04:45 local, on a quarter hour: outside any practice's opening hours. */
    private Instant nightTime(LocalDate day, ZoneId zone) {
        return day.atTime(LocalTime.of(2, 0).plusMinutes(15L * random.nextInt(12)))
                .atZone(zone)
                .toInstant();
    }

    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }
}
