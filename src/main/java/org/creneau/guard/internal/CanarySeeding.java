package org.creneau.guard.internal;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
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
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    CanarySeeding(TenantScope scope, JdbcClient jdbc, Clock clock) {
        this.scope = scope;
        this.jdbc = jdbc;
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
            UUID from = after;
            List<UUID> batch = scope.read(
                    Caller.ANONYMOUS,
                    () -> jdbc.sql("SELECT id FROM organization WHERE id > :after ORDER BY id LIMIT :limit")
                            .param("after", from)
                            .param("limit", ORGANIZATIONS_PER_BATCH)
                            .query(UUID.class)
                            .list());
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
            List<UUID> patients = new ArrayList<>(jdbc.sql(
                            "SELECT id FROM org_patient WHERE organization_id = :org AND decoy ORDER BY created_at, id")
                    .param("org", organizationId)
                    .query(UUID.class)
                    .list());
            while (patients.size() < DECOY_PATIENTS) {
                patients.add(insertPatient(organizationId, now));
                written++;
            }
            List<Agenda> agendas = agendas(organizationId);
            if (!agendas.isEmpty()) {
                List<UUID> withoutAppointments = jdbc.sql("""
                                SELECT op.id FROM org_patient op
                                 WHERE op.organization_id = :org AND op.decoy
                                   AND NOT EXISTS (SELECT 1 FROM appointment a
                                                    WHERE a.org_patient_id = op.id AND a.decoy)
                                 ORDER BY op.created_at, op.id
                                """)
                        .param("org", organizationId)
                        .query(UUID.class)
                        .list();
                for (UUID patient : withoutAppointments) {
                    Agenda agenda = agendas.get(random.nextInt(agendas.size()));
                    insertAppointment(organizationId, agenda, patient, pastDate(now, agenda.zone()), now);
                    insertAppointment(organizationId, agenda, patient, futureDate(now, agenda.zone()), now);
                    written += 2;
                }
            }
            return written + moveNearOnes(organizationId, now);
        });
    }

    /** An agenda decoys can sit on: a practitioner, one of their motives, and a site (theirs if any). */
    private record Agenda(
            UUID practitionerId, String specialtyCode, UUID motiveId, int minutes, UUID siteId, ZoneId zone) {}

    private List<Agenda> agendas(UUID organizationId) {
        return jdbc.sql("""
                        SELECT p.id AS practitioner_id, p.specialty_code, m.id AS motive_id, m.duration_minutes,
                               s.id AS site_id, s.time_zone
                          FROM practitioner p
                          JOIN LATERAL (SELECT vm.id, vm.duration_minutes FROM visit_motive vm
                                         WHERE vm.organization_id = p.organization_id AND vm.practitioner_id = p.id
                                         ORDER BY vm.position, vm.id LIMIT 1) m ON true
                          JOIN LATERAL (SELECT st.id, st.time_zone FROM site st
                                         WHERE st.organization_id = p.organization_id
                                         ORDER BY EXISTS (SELECT 1 FROM opening_range r
                                                           WHERE r.practitioner_id = p.id AND r.site_id = st.id) DESC,
                                                  st.id
                                         LIMIT 1) s ON true
                         WHERE p.organization_id = :org
                         ORDER BY p.id
                         LIMIT :limit
                        """)
                .param("org", organizationId)
                .param("limit", MAX_AGENDAS)
                .query((rs, i) -> new Agenda(
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getString("specialty_code"),
                        rs.getObject("motive_id", UUID.class),
                        rs.getInt("duration_minutes"),
                        rs.getObject("site_id", UUID.class),
                        ZoneId.of(rs.getString("time_zone"))))
                .list();
    }

    private UUID insertPatient(UUID organizationId, Instant now) {
        UUID id = UUID.randomUUID();
        String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
        String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(70 * 365));
        jdbc.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, phone, email,
                                                 search_name, created_at, decoy)
                        VALUES (:id, :org, :first, :last, :birth, :phone, :email, :search, :created, true)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("first", first)
                .param("last", last)
                .param("birth", birth)
                // Numbers the regulator (ARCEP) keeps for fiction, and a domain reserved for examples (RFC 2606).
                .param("phone", String.format("+33 6 39 98 %02d %02d", random.nextInt(100), random.nextInt(100)))
                .param("email", ascii(first) + "." + ascii(last) + "@example.org")
                .param("search", (last + " " + first).toLowerCase(Locale.ROOT))
                .param("created", utc(now.minus(Duration.ofDays(400 + random.nextInt(500)))))
                .update();
        return id;
    }

    private void insertAppointment(UUID organizationId, Agenda agenda, UUID patientId, LocalDate day, Instant now) {
        Instant start = nightTime(day, agenda.zone());
        // Booked some days before it, as real ones are; never later than now.
        Instant created = start.isBefore(now)
                ? start.minus(Duration.ofDays(3 + random.nextInt(40)))
                : now.minus(Duration.ofDays(1 + random.nextInt(30)));
        jdbc.sql("""
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                               org_patient_id, start_at, end_at, status, created_at, updated_at, decoy)
                        VALUES (:id, :org, :practitioner, :site, :motive, :specialty, :patient, :start, :end, 'BOOKED',
                                :created, :created, true)
                        """)
                .param("id", UUID.randomUUID())
                .param("org", organizationId)
                .param("practitioner", agenda.practitionerId())
                .param("site", agenda.siteId())
                .param("motive", agenda.motiveId())
                .param("specialty", agenda.specialtyCode())
                .param("patient", patientId)
                .param("start", utc(start))
                .param("end", utc(start.plus(Duration.ofMinutes(agenda.minutes()))))
                .param("created", utc(created))
                .update();
    }

    /**
     * Decoys far ahead come nearer every day; once within 13 months, one could meet a legitimate
     * search of near dates, so it moves again to 13 to 24 months ahead.
     */
    private int moveNearOnes(UUID organizationId, Instant now) {
        record Near(UUID id, Instant start, Instant end, ZoneId zone) {}
        ZonedDateTime today = now.atZone(ZoneOffset.UTC);
        List<Near> near = jdbc.sql("""
                        SELECT a.id, a.start_at, a.end_at, s.time_zone
                          FROM appointment a JOIN site s ON s.id = a.site_id
                         WHERE a.organization_id = :org AND a.decoy AND a.start_at > :from AND a.start_at < :to
                        """)
                .param("org", organizationId)
                .param("from", utc(today.minusMonths(13).toInstant()))
                .param("to", utc(today.plusMonths(13).toInstant()))
                .query((rs, i) -> new Near(
                        rs.getObject("id", UUID.class),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                        ZoneId.of(rs.getString("time_zone"))))
                .list();
        for (Near n : near) {
            Instant start = nightTime(futureDate(now, n.zone()), n.zone());
            jdbc.sql("""
                            UPDATE appointment SET start_at = :start, end_at = :end, updated_at = :now,
                                   version = version + 1
                             WHERE id = :id AND decoy
                            """)
                    .param("id", n.id())
                    .param("start", utc(start))
                    .param("end", utc(start.plus(Duration.between(n.start(), n.end()))))
                    .param("now", utc(now))
                    .update();
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

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
