package org.creneau.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.availability.internal.ComputedAvailability;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.RppsNumber;
import org.creneau.platform.EmbeddedServer;
import org.creneau.platform.NodeCache;
import org.creneau.support.ApiClient;
import org.creneau.support.BenchConnectedApp;
import org.creneau.support.BenchFixtures;
import org.creneau.support.Fixtures;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The FHIR scheduling mix an integrator would run against any FHIR server: clients that search the
 * free slots of one of the organization's schedules over 7 days and book, by {@code POST
 * /fhir/Appointment}, a free slot they have just seen; the journal and the guard on, the guard's
 * thresholds raised for the test app. Then, in the same run, a plain-JDBC baseline of the same
 * work: the rows a slot search reads and the appointment row a booking inserts, under the same
 * constraint. At the end the database is checked for overlapping appointments of one agenda.
 */
final class FhirMix {

    /** HAPI FHIR JPA and Créneau on this machine, from issue #10: operations/s and slot search p50. */
    static final double HAPI_OPS = 50;

    static final double CRENEAU_OPS_BEFORE = 63;
    static final double HAPI_SLOT_P50_MS = 266;
    static final double CRENEAU_SLOT_P50_MS_BEFORE = 200;
    static final double OPS_TARGET = 3 * CRENEAU_OPS_BEFORE;
    static final double SLOT_P50_TARGET_MS = 30;
    static final List<String> SCOPES = List.of("system/Slot.rs", "system/Appointment.rs", "system/Appointment.cu");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final int WINDOW_DAYS = 7;
    private static final LocalTime OPENS = LocalTime.of(8, 0);
    private static final LocalTime CLOSES = LocalTime.of(19, 0);
    private static final int MOTIVE_MINUTES = 30;
    /** The slots of one answer: the FHIR search's default page, {@code _count} not given. */
    private static final int PAGE = 50;

    /** One free slot as a client saw it. */
    record Seen(UUID practitioner, UUID motive, UUID site, Instant start, Instant end) {}

    /** One side's figures over its measured time. */
    static final class Side {
        final String name;
        final Latencies search = new Latencies();
        final Latencies booking = new Latencies();
        final Map<String, Integer> failures = new TreeMap<>();
        long searches;
        long booked;
        long conflicts;
        long serverErrors;
        long slotsSeen;
        Duration elapsed = Duration.ZERO;
        /** The database's client sessions while measured: mean number in each state and wait event. */
        Map<String, Double> sessions = Map.of();

        long sessionSamples;

        Side(String name) {
            this.name = name;
        }

        synchronized void failed(String what) {
            failures.merge(what, 1, Integer::sum);
        }

        synchronized void searched(int slots) {
            searches++;
            slotsSeen += slots;
        }

        synchronized void booked() {
            booked++;
        }

        synchronized void conflict() {
            conflicts++;
        }

        synchronized void serverError() {
            serverErrors++;
        }

        /** Searches and booking attempts answered (booked or taken meanwhile), per second. */
        double operationsPerSecond() {
            return (searches + booked + conflicts) / Benchmark.seconds(elapsed);
        }
    }

    record Result(
            BenchSettings.Mix settings,
            String postgresVersion,
            Duration start,
            Duration seed,
            Side api,
            Side jdbc,
            long doubleBookings,
            long appointmentsBooked,
            long journalEntries,
            List<String> grantStatuses,
            List<String> alertSignals,
            NodeCache.Stats keptBefore,
            NodeCache.Stats keptAfter) {

        boolean contained() {
            return !alertSignals.isEmpty() || grantStatuses.stream().anyMatch(s -> !"ACTIVE".equals(s));
        }

        boolean met() {
            return api.operationsPerSecond() >= OPS_TARGET
                    && api.search.percentileMs(50) <= SLOT_P50_TARGET_MS
                    && api.serverErrors == 0
                    && doubleBookings == 0
                    && !contained();
        }
    }

    private final BenchSettings.Mix settings;
    private final Path dataDir;
    private final LocalDate today = LocalDate.now(PARIS);
    private final List<UUID> schedules = new ArrayList<>();
    private final List<UUID> patients = new ArrayList<>();
    private UUID organization;

    FhirMix(BenchSettings.Mix settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    Result run() throws Exception {
        ConfigurableApplicationContext app = null;
        try {
            long started = System.nanoTime();
            app = BenchContexts.start(dataDir, BenchContexts.raisedGuard());
            Duration start = since(started);
            int port = BenchContexts.port(app);
            Benchmark.progress("Mix: context up on port %d in %.1f s", port, Benchmark.seconds(start));
            JdbcClient owner = JdbcClient.create(app.getBean("ownerDataSource", DataSource.class));
            Clock clock = app.getBean(Clock.class);

            started = System.nanoTime();
            Fixtures fixtures = BenchFixtures.of(app);
            Fixtures.Practice practice = fixtures.practice("medecin-generaliste");
            organization = practice.organizationId();
            schedules(app, practice);
            filePatients(owner);
            ApiClient platformAdmin = new ApiClient(port, clock);
            platformAdmin.loginStaff(fixtures.platformAdmin(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            ApiClient orgAdmin = new ApiClient(port, clock);
            orgAdmin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            BenchConnectedApp connected =
                    BenchConnectedApp.register(port, clock, platformAdmin, orgAdmin, "Agenda partenaire", SCOPES);
            raiseGrantLimits(orgAdmin, connected.grantId());
            Duration seed = since(started);
            Benchmark.progress(
                    "Mix: %d schedules, %,d patients and the app in %.1f s",
                    schedules.size(), patients.size(), Benchmark.seconds(seed));

            long journalBefore = count(owner, "journal_entry");
            Side api = new Side("API");
            EmbeddedServer postgres = app.getBean(EmbeddedServer.class);
            ComputedAvailability kept = app.getBean(ComputedAvailability.class);
            NodeCache.Stats keptBefore = kept.dayStats();
            run(api, () -> new ApiClientLoop(port, connected), postgres);
            NodeCache.Stats keptAfter = kept.dayStats();
            long journal = count(owner, "journal_entry") - journalBefore;
            Benchmark.progress(
                    "Mix: API %.1f operations/s, slot search %s", api.operationsPerSecond(), api.search.summary());

            String appUrl = "jdbc:postgresql://localhost:" + postgres.port() + "/creneau?user=creneau_app&password="
                    + postgres.password("creneau_app");
            Side jdbc = new Side("JDBC");
            run(jdbc, () -> new JdbcLoop(appUrl), postgres);
            Benchmark.progress(
                    "Mix: JDBC %.1f operations/s, slot rows %s", jdbc.operationsPerSecond(), jdbc.search.summary());

            long doubles =
                    owner.sql("""
                            SELECT count(*) FROM appointment a JOIN appointment b
                                ON b.practitioner_id = a.practitioner_id AND b.id > a.id
                               AND tstzrange(b.start_at, b.end_at, '[)') && tstzrange(a.start_at, a.end_at, '[)')
                             WHERE a.organization_id = :org AND b.organization_id = :org
                               AND NOT a.decoy AND NOT b.decoy
                               AND a.status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW')
                               AND b.status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW')
                            """).param("org", organization).query(Long.class).single();
            long booked = owner.sql("SELECT count(*) FROM appointment WHERE organization_id = :org AND NOT decoy")
                    .param("org", organization)
                    .query(Long.class)
                    .single();
            List<String> statuses = new ArrayList<>();
            for (JsonNode g :
                    orgAdmin.get("/api/v1/staff/connected-app-grants").body().path("items")) {
                if (g.path("id").asString().equals(connected.grantId())) {
                    statuses.add(g.path("status").asString());
                }
            }
            List<String> alerts = new ArrayList<>();
            for (JsonNode alert : orgAdmin.get("/api/v1/staff/guard-alerts").body()) {
                alerts.add(alert.path("signal").asString());
            }
            String version =
                    owner.sql("SHOW server_version").query(String.class).single();
            return new Result(
                    settings,
                    version,
                    start,
                    seed,
                    api,
                    jdbc,
                    doubles,
                    booked,
                    journal,
                    statuses,
                    alerts,
                    keptBefore,
                    keptAfter);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** The agendas searched and booked: one site, one 30-minute motive, open 08:00–19:00 Monday to Saturday. */
    private void schedules(ConfigurableApplicationContext app, Fixtures.Practice practice) {
        TenantScope scope = app.getBean(TenantScope.class);
        DirectoryAdministration directory = app.getBean(DirectoryAdministration.class);
        AgendaSettings agendas = app.getBean(AgendaSettings.class);
        scope.write(new Caller.System(organization), () -> {
            for (int i = 1; i <= settings.schedules(); i++) {
                UUID practitioner = directory.createPractitioner(
                        organization,
                        new DirectoryAdministration.NewPractitioner(
                                "Camille",
                                "Agenda" + i,
                                RppsNumber.withCheckDigit(String.format("18%08d", i)),
                                "medecin-generaliste",
                                List.of("fr"),
                                true,
                                0,
                                120,
                                24));
                UUID motive = directory.createMotive(
                        organization,
                        practitioner,
                        new DirectoryAdministration.NewMotive("Consultation", MOTIVE_MINUTES, true, true, null, null),
                        0);
                for (DayOfWeek day : EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY)) {
                    agendas.addOpeningRange(
                            organization,
                            new AgendaSettings.NewOpeningRange(
                                    practitioner,
                                    practice.siteId(),
                                    day,
                                    OPENS,
                                    CLOSES,
                                    today.minusDays(1),
                                    null,
                                    List.of(motive)));
                }
                schedules.add(practitioner);
            }
        });
    }

    /** The organization's patient file, written as its history would be; bookings pick a patient at random. */
    private void filePatients(JdbcClient owner) {
        owner.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, search_name, created_at)
                        SELECT gen_random_uuid(), :org, 'Prenom' || i, 'Nom' || i, DATE '1940-01-01' + i % 30000, 'nom' || i,
                               now()
                          FROM generate_series(1, :n) AS i
                        """)
                .param("org", organization)
                .param("n", settings.patients())
                .update();
        patients.addAll(owner.sql("SELECT id FROM org_patient WHERE organization_id = :org AND NOT decoy")
                .param("org", organization)
                .query(UUID.class)
                .list());
        owner.sql("ANALYZE org_patient").update();
    }

    /** The grant's own quotas at the most its admin may set (the platform-wide ones are raised at start). */
    private static void raiseGrantLimits(ApiClient orgAdmin, String grantId) {
        int most = BenchContexts.RAISED;
        ApiClient.Response limited = orgAdmin.put(
                "/api/v1/staff/connected-app-grants/" + grantId + "/limits",
                Map.of(
                        "newPatientsPer10Minutes", most,
                        "patientsPerHour", most,
                        "patientsPerDay", most,
                        "appointmentsPerHour", most,
                        "appointmentsPerDay", most));
        if (limited.status() != 200) {
            throw new IllegalStateException("grant limits not raised: HTTP " + limited.status());
        }
    }

    /** One client's operations: a slot search, or a booking of a slot it saw. */
    private interface Loop {
        /** One operation; {@code measured} when it counts. */
        void next(SplittableRandom random, Side side, boolean measured) throws Exception;

        default void close() throws Exception {}
    }

    private interface LoopFactory {
        Loop create() throws Exception;
    }

    /** {@code clients} loops at once: a warm-up, then the measured time. */
    private void run(Side side, LoopFactory factory, EmbeddedServer postgres) throws Exception {
        int seconds = side.name.equals("API") ? settings.seconds() : settings.jdbcSeconds();
        ExecutorService pool = Executors.newFixedThreadPool(settings.clients());
        CountDownLatch ready = new CountDownLatch(settings.clients());
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        try (WaitEvents waits = new WaitEvents(postgres.superuser())) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < settings.clients(); c++) {
                SplittableRandom random = new SplittableRandom(20260329L * 31 + c + side.name.hashCode());
                running.add(pool.submit(() -> {
                    Loop loop = factory.create();
                    try {
                        ready.countDown();
                        go.await();
                        while (true) {
                            long now = System.nanoTime();
                            if (now >= window[1]) {
                                return null;
                            }
                            loop.next(random, side, now >= window[0]);
                        }
                    } finally {
                        loop.close();
                    }
                }));
            }
            ready.await();
            window[0] = System.nanoTime()
                    + Duration.ofSeconds(settings.warmupSeconds()).toNanos();
            window[1] = window[0] + Duration.ofSeconds(seconds).toNanos();
            go.countDown();
            Thread.sleep(Math.max(0, (window[0] - System.nanoTime()) / 1_000_000));
            waits.start();
            for (Future<?> f : running) {
                f.get();
            }
            waits.stop();
            // Operations that started in the window are counted: the last ones end a little after it.
            side.elapsed = Duration.ofNanos(System.nanoTime() - window[0]);
            side.sessions = waits.meanSessions();
            side.sessionSamples = waits.samples();
        } finally {
            pool.shutdownNow();
        }
    }

    /** A 7-day window starting at midnight (Paris), 1 to {@code days} days ahead. */
    private ZonedDateTime windowStart(SplittableRandom random) {
        return today.plusDays(1 + random.nextInt(settings.days())).atStartOfDay(PARIS);
    }

    /** Over HTTP with a token of the app, as the integrator's client would. */
    private final class ApiClientLoop implements Loop {

        private final int port;
        private final BenchConnectedApp app;
        private final HttpClient http = BenchContexts.http();
        private final List<Seen> seen = new ArrayList<>();
        private String token;

        ApiClientLoop(int port, BenchConnectedApp app) {
            this.port = port;
            this.app = app;
            this.token = app.token(port);
        }

        @Override
        public void next(SplittableRandom random, Side side, boolean measured) {
            if (random.nextInt(100) < settings.searchPercent() || seen.isEmpty()) {
                search(random, side, measured);
            } else {
                book(random, side, measured);
            }
        }

        private void search(SplittableRandom random, Side side, boolean measured) {
            UUID schedule = schedules.get(random.nextInt(schedules.size()));
            ZonedDateTime from = windowStart(random);
            String path = "/fhir/Slot?schedule=Schedule/" + schedule + "&start=ge" + from.toInstant() + "&start=lt"
                    + from.plusDays(WINDOW_DAYS).toInstant() + "&status=free";
            long started = System.nanoTime();
            BenchContexts.Answer answer = send(path, null);
            long elapsed = System.nanoTime() - started;
            if (!answered(answer, side, measured, "slot search")) {
                return;
            }
            seen.clear();
            for (JsonNode entry : ApiSession.JSON.readTree(answer.body()).path("entry")) {
                JsonNode slot = entry.path("resource");
                // "motive <id>, site <id>": what a booking of this slot names.
                String[] parts = slot.path("comment").asString("").split("[ ,]+");
                if (parts.length == 4) {
                    seen.add(new Seen(
                            schedule,
                            UUID.fromString(parts[1]),
                            UUID.fromString(parts[3]),
                            Instant.parse(slot.path("start").asString()),
                            Instant.parse(slot.path("end").asString())));
                }
            }
            if (measured) {
                side.searched(seen.size());
                side.search.add(elapsed);
            }
        }

        private void book(SplittableRandom random, Side side, boolean measured) {
            Seen slot = seen.remove(random.nextInt(seen.size()));
            UUID patient = patients.get(random.nextInt(patients.size()));
            String body =
                    """
                    {"resourceType":"Appointment","status":"booked","start":"%s","end":"%s","participant":[
                    {"actor":{"reference":"Practitioner/%s"},"status":"accepted"},
                    {"actor":{"reference":"Location/%s"},"status":"accepted"},
                    {"actor":{"reference":"HealthcareService/%s"},"status":"accepted"},
                    {"actor":{"reference":"Patient/%s"},"status":"accepted"}]}
                    """.formatted(slot.start(), slot.end(), slot.practitioner(), slot.site(), slot.motive(), patient);
            long started = System.nanoTime();
            BenchContexts.Answer answer = send("/fhir/Appointment", body);
            long elapsed = System.nanoTime() - started;
            if (answer.status() == 409) {
                // Taken by another client since this one saw it: the constraint answered, as it must.
                if (measured) {
                    side.conflict();
                    side.booking.add(elapsed);
                }
                return;
            }
            if (answered(answer, side, measured, "booking") && measured) {
                side.booked();
                side.booking.add(elapsed);
            }
        }

        /** True for a 2xx; anything else is counted (5xx apart) and reported. */
        private boolean answered(BenchContexts.Answer answer, Side side, boolean measured, String what) {
            if (answer.status() >= 200 && answer.status() < 300) {
                return true;
            }
            if (measured) {
                if (answer.status() >= 500) {
                    side.serverError();
                }
                side.failed(what + " HTTP " + answer.status());
            }
            return false;
        }

        private BenchContexts.Answer send(String path, String json) {
            BenchContexts.Answer answer = BenchContexts.fhir(http, port, token, path, json);
            if (answer.status() == 401) {
                // The token lapsed (5 minutes): a new one, and the request again.
                token = app.token(port);
                answer = BenchContexts.fhir(http, port, token, path, json);
            }
            return answer;
        }
    }

    /**
     * The baseline: one connection as {@code creneau_app} (row-level security on, the organization
     * set in each transaction as the application sets it). A "search" reads in one transaction the
     * rows the application's slot search reads (the agenda's motives, its opening ranges with their
     * motives, its busy periods over the window through {@code busy_periods}); the client then lists
     * the 30-minute starts of the ranges that no busy period covers, which stands in for the slot
     * computation. A booking inserts the appointment row of a start it listed, under the same
     * {@code appointment_no_overlap} constraint; a violation is the 409 of this side.
     */
    private final class JdbcLoop implements Loop {

        private final Connection connection;
        private final PreparedStatement scope;
        private final PreparedStatement motives;
        private final PreparedStatement ranges;
        private final PreparedStatement busy;
        private final PreparedStatement insert;
        private final List<Seen> seen = new ArrayList<>();

        JdbcLoop(String url) throws SQLException {
            connection = DriverManager.getConnection(url);
            connection.setAutoCommit(false);
            scope = connection.prepareStatement(
                    "SELECT set_config('creneau.org_id', ?, true), set_config('creneau.account_id', '', true)");
            motives = connection.prepareStatement(
                    "SELECT id, duration_minutes FROM visit_motive WHERE practitioner_id = ? ORDER BY position");
            ranges = connection.prepareStatement("""
                    SELECT r.site_id, r.weekday, r.start_time, r.end_time, r.valid_from, r.valid_until,
                           array(SELECT m.motive_id FROM opening_range_motive m WHERE m.opening_range_id = r.id) AS motives
                      FROM opening_range r
                     WHERE r.practitioner_id = ANY (?)
                    """);
            busy = connection.prepareStatement(
                    "SELECT practitioner_id, start_at, end_at FROM busy_periods(?, ?, ?, ?, NULL)");
            insert = connection.prepareStatement("""
                    INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                                             org_patient_id, start_at, end_at, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 'medecin-generaliste', ?, ?, ?, 'BOOKED', now(), now())
                    """);
        }

        @Override
        public void next(SplittableRandom random, Side side, boolean measured) throws SQLException {
            if (random.nextInt(100) < settings.searchPercent() || seen.isEmpty()) {
                search(random, side, measured);
            } else {
                book(random, side, measured);
            }
        }

        private void search(SplittableRandom random, Side side, boolean measured) throws SQLException {
            UUID schedule = schedules.get(random.nextInt(schedules.size()));
            ZonedDateTime from = windowStart(random);
            Instant to = from.plusDays(WINDOW_DAYS).toInstant();
            long started = System.nanoTime();
            scope();
            List<UUID> motiveIds = new ArrayList<>();
            motives.setObject(1, schedule);
            try (ResultSet rs = motives.executeQuery()) {
                while (rs.next()) {
                    motiveIds.add(rs.getObject(1, UUID.class));
                }
            }
            record Range(UUID site, int weekday, LocalTime start, LocalTime end, LocalDate from, LocalDate until) {}
            List<Range> open = new ArrayList<>();
            Array ids = connection.createArrayOf("uuid", new Object[] {schedule});
            ranges.setArray(1, ids);
            try (ResultSet rs = ranges.executeQuery()) {
                while (rs.next()) {
                    open.add(new Range(
                            rs.getObject(1, UUID.class),
                            rs.getInt(2),
                            rs.getObject(3, LocalTime.class),
                            rs.getObject(4, LocalTime.class),
                            rs.getObject(5, LocalDate.class),
                            rs.getObject(6, LocalDate.class)));
                }
            }
            List<Instant[]> taken = new ArrayList<>();
            busy.setArray(1, ids);
            busy.setTimestamp(2, Timestamp.from(from.toInstant()));
            busy.setTimestamp(3, Timestamp.from(to));
            busy.setTimestamp(4, Timestamp.from(Instant.now()));
            try (ResultSet rs = busy.executeQuery()) {
                while (rs.next()) {
                    taken.add(new Instant[] {
                        rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()
                    });
                }
            }
            connection.commit();
            seen.clear();
            UUID motive = motiveIds.isEmpty() ? null : motiveIds.get(0);
            for (int d = 0; d < WINDOW_DAYS && motive != null; d++) {
                LocalDate day = from.toLocalDate().plusDays(d);
                for (Range r : open) {
                    if (r.weekday() != day.getDayOfWeek().getValue()
                            || day.isBefore(r.from())
                            || (r.until() != null && day.isAfter(r.until()))) {
                        continue;
                    }
                    for (LocalTime t = r.start();
                            !t.plusMinutes(MOTIVE_MINUTES).isAfter(r.end());
                            t = t.plusMinutes(MOTIVE_MINUTES)) {
                        Instant s = day.atTime(t).atZone(PARIS).toInstant();
                        Instant e = s.plusSeconds(60L * MOTIVE_MINUTES);
                        boolean free = taken.stream().noneMatch(b -> b[0].isBefore(e) && s.isBefore(b[1]));
                        if (free) {
                            seen.add(new Seen(schedule, motive, r.site(), s, e));
                        }
                    }
                }
            }
            // The first page, as the FHIR search answers (in start order, as listed).
            while (seen.size() > PAGE) {
                seen.remove(seen.size() - 1);
            }
            long elapsed = System.nanoTime() - started;
            if (measured) {
                side.searched(seen.size());
                side.search.add(elapsed);
            }
        }

        private void book(SplittableRandom random, Side side, boolean measured) throws SQLException {
            Seen slot = seen.remove(random.nextInt(seen.size()));
            UUID patient = patients.get(random.nextInt(patients.size()));
            long started = System.nanoTime();
            try {
                scope();
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, organization);
                insert.setObject(3, slot.practitioner());
                insert.setObject(4, slot.site());
                insert.setObject(5, slot.motive());
                insert.setObject(6, patient);
                insert.setTimestamp(7, Timestamp.from(slot.start()));
                insert.setTimestamp(8, Timestamp.from(slot.end()));
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (!"23P01".equals(e.getSQLState())) {
                    throw e;
                }
                if (measured) {
                    side.conflict();
                    side.booking.add(System.nanoTime() - started);
                }
                return;
            }
            if (measured) {
                side.booked();
                side.booking.add(System.nanoTime() - started);
            }
        }

        private void scope() throws SQLException {
            scope.setString(1, organization.toString());
            scope.executeQuery().close();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    private static long count(JdbcClient owner, String table) {
        return owner.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
