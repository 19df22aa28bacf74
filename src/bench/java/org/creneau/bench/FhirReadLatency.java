package org.creneau.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.creneau.CreneauApplication;
import org.creneau.guard.AppGuard;
import org.creneau.guard.NoOpAppGuard;
import org.creneau.guard.internal.CanarySeeding;
import org.creneau.journal.Journal;
import org.creneau.journal.NoOpJournal;
import org.creneau.support.ApiClient;
import org.creneau.support.BenchConnectedApp;
import org.creneau.support.BenchFixtures;
import org.creneau.support.Fixtures;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The FHIR read path of a legitimate practice-software sync, timed with the journal and the guard
 * on (the application as shipped) and off ({@link JournalAndGuardOff}), side by side in one run:
 * two contexts on one embedded PostgreSQL, ON and OFF phases alternating in rounds. Each client is
 * a connected app of its own, paced below the rate limit of one app, and reads only what its
 * searches returned, so the ON side does every check a real sync pays for without being throttled
 * or contained; the report says if it was.
 */
final class FhirReadLatency {

    static final double P50_RATIO_TARGET = 1.15;
    static final List<String> SCOPES = List.of("system/Appointment.rs", "system/Patient.r");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    enum Side {
        ON,
        OFF
    }

    enum Kind {
        SEARCH,
        APPOINTMENT,
        PATIENT
    }

    /** One measured round: the ON phase, then the OFF phase. */
    record Round(int number, Latencies on, Latencies off) {
        double ratio() {
            return on.percentileMs(50) / off.percentileMs(50);
        }
    }

    /** Everything one side did over the run; warm-up requests count in {@code sent} and the table deltas only. */
    static final class SideTotals {
        final Latencies all = new Latencies();
        final Map<Kind, Latencies> byKind = new EnumMap<>(Kind.class);
        final Map<Integer, Integer> failures = new TreeMap<>();
        int sent;
        long journalEntries;
        long guardMarks;

        SideTotals() {
            for (Kind kind : Kind.values()) {
                byKind.put(kind, new Latencies());
            }
        }

        synchronized void failed(int status) {
            failures.merge(status, 1, Integer::sum);
        }

        synchronized void sent() {
            sent++;
        }
    }

    record Result(
            BenchSettings.Fhir settings,
            String postgresVersion,
            long appointments,
            long patients,
            Duration startOn,
            Duration startOff,
            Duration seed,
            List<Round> rounds,
            Map<Side, SideTotals> totals,
            List<String> answerChecks,
            List<String> grantStatuses,
            List<String> alertSignals) {

        /** The median of the rounds' p50 ratios (ON/OFF). */
        double medianRatio() {
            double[] ratios = rounds.stream().mapToDouble(Round::ratio).sorted().toArray();
            int n = ratios.length;
            return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
        }

        boolean contained() {
            return !alertSignals.isEmpty() || grantStatuses.stream().anyMatch(s -> !"ACTIVE".equals(s));
        }

        /** Whether the OFF side went without all three, which the target is about. */
        boolean complete() {
            return settings.off().containsAll(BenchSettings.Fhir.SWITCHED_OFF);
        }

        boolean met() {
            return medianRatio() <= P50_RATIO_TARGET
                    && !contained()
                    && totals.values().stream().allMatch(t -> t.failures.isEmpty());
        }
    }

    private final BenchSettings.Fhir settings;
    private final Path dataDir;
    private final LocalDate today = LocalDate.now(PARIS);

    FhirReadLatency(BenchSettings.Fhir settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    Result run() throws Exception {
        ConfigurableApplicationContext on = null;
        ConfigurableApplicationContext off = null;
        try {
            long started = System.nanoTime();
            on = start(false);
            Duration startOn = since(started);
            int onPort = port(on);
            Benchmark.progress("FHIR: ON context up on port %d in %.1f s", onPort, Benchmark.seconds(startOn));
            JdbcClient owner = JdbcClient.create(on.getBean("ownerDataSource", DataSource.class));
            Clock clock = on.getBean(Clock.class);

            started = System.nanoTime();
            Fixtures fixtures = BenchFixtures.of(on);
            Fixtures.Practice practice = fixtures.practice("medecin-generaliste");
            seed(owner, practice, settings.patients(), settings.perDay(), settings.daysAround(), today);
            on.getBean(CanarySeeding.class).seed(practice.organizationId());
            ApiClient platformAdmin = new ApiClient(onPort, clock);
            platformAdmin.loginStaff(fixtures.platformAdmin(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            ApiClient orgAdmin = new ApiClient(onPort, clock);
            orgAdmin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < settings.clients(); i++) {
                clients.add(new Client(
                        i,
                        BenchConnectedApp.register(
                                onPort, clock, platformAdmin, orgAdmin, "Logiciel de cabinet " + (i + 1), SCOPES)));
            }
            Duration seedTime = since(started);
            long appointments = owner.sql("SELECT count(*) FROM appointment WHERE organization_id = :org AND NOT decoy")
                    .param("org", practice.organizationId())
                    .query(Long.class)
                    .single();
            long patients = owner.sql("SELECT count(*) FROM org_patient WHERE organization_id = :org AND NOT decoy")
                    .param("org", practice.organizationId())
                    .query(Long.class)
                    .single();
            Benchmark.progress(
                    "FHIR: %,d patients, %,d appointments and %d connected apps in %.1f s",
                    patients, appointments, clients.size(), Benchmark.seconds(seedTime));

            started = System.nanoTime();
            off = start(true);
            Duration startOff = since(started);
            int offPort = port(off);
            Benchmark.progress(
                    "FHIR: OFF context up on port %d in %.1f s (journal %s, guard %s, rate-limit filter %s)",
                    offPort,
                    Benchmark.seconds(startOff),
                    off.getBean(Journal.class).getClass().getSimpleName(),
                    off.getBean(AppGuard.class).getClass().getSimpleName(),
                    off.getBean("rateLimitFilter", FilterRegistrationBean.class).isEnabled() ? "registered" : "off");
            checkWiring(on, off);

            Map<Side, Integer> ports = Map.of(Side.ON, onPort, Side.OFF, offPort);
            Map<Side, SideTotals> totals = new EnumMap<>(Side.class);
            totals.put(Side.ON, new SideTotals());
            totals.put(Side.OFF, new SideTotals());
            List<String> answerChecks = compareAnswers(clients.get(0), onPort, offPort);
            Benchmark.progress("FHIR: ON and OFF answers compared: %s", String.join("; ", answerChecks));

            for (int round = 1; round <= settings.warmupRounds(); round++) {
                for (Side side : Side.values()) {
                    phase(side, ports.get(side), clients, totals.get(side), null, owner);
                }
                Benchmark.progress("FHIR: warm-up round %d done", round);
            }
            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                Latencies onRound = new Latencies();
                Latencies offRound = new Latencies();
                phase(Side.ON, onPort, clients, totals.get(Side.ON), onRound, owner);
                phase(Side.OFF, offPort, clients, totals.get(Side.OFF), offRound, owner);
                Round r = new Round(round, onRound, offRound);
                rounds.add(r);
                Benchmark.progress(
                        "FHIR: round %d: ON p50 %.2f ms, OFF p50 %.2f ms, ratio %.3f",
                        round, onRound.percentileMs(50), offRound.percentileMs(50), r.ratio());
            }

            List<String> statuses = grantStatuses(orgAdmin, clients);
            List<String> alerts = new ArrayList<>();
            for (JsonNode alert : orgAdmin.get("/api/v1/staff/guard-alerts").body()) {
                alerts.add(alert.path("signal").asString());
            }
            String version =
                    owner.sql("SHOW server_version").query(String.class).single();
            return new Result(
                    settings,
                    version,
                    appointments,
                    patients,
                    startOn,
                    startOff,
                    seedTime,
                    rounds,
                    totals,
                    answerChecks,
                    statuses,
                    alerts);
        } finally {
            // OFF first: it uses the database server that the ON context started and stops.
            if (off != null) {
                off.close();
            }
            if (on != null) {
                on.close();
            }
        }
    }

    /**
     * Both contexts share the data directory: the first starts the embedded PostgreSQL there, the
     * second finds it running and connects to it (as a command does next to a running server).
     */
    private ConfigurableApplicationContext start(boolean journalAndGuardOff) {
        List<String> args = new ArrayList<>(List.of(
                "--creneau.demo.enabled=false",
                "--server.port=0",
                "--management.server.port=0",
                "--creneau.database.embedded.data-dir=" + dataDir.resolve("postgres"),
                // The second context uses the server the first one started, as a command of the jar does.
                "--creneau.database.embedded.share-running-server=true",
                "--creneau.journal.checkpoint-directory=" + dataDir.resolve("journal/checkpoints"),
                "--creneau.journal.key-directory=" + dataDir.resolve("journal/keys"),
                "--logging.level.root=WARN"));
        SpringApplicationBuilder builder;
        if (journalAndGuardOff) {
            args.add("--spring.main.allow-bean-definition-overriding=true");
            for (String part : BenchSettings.Fhir.SWITCHED_OFF) {
                args.add("--bench.off." + part + "=" + settings.off().contains(part));
            }
            builder = new SpringApplicationBuilder(CreneauApplication.class, JournalAndGuardOff.class);
        } else {
            builder = new SpringApplicationBuilder(CreneauApplication.class);
        }
        return builder.run(args.toArray(String[]::new));
    }

    /** Refuses to measure unless ON is the application as shipped and OFF lacks exactly what was asked. */
    private void checkWiring(ConfigurableApplicationContext on, ConfigurableApplicationContext off) {
        boolean onShipped = on.getBean(Journal.class).getClass() == Journal.class
                && on.getBean(AppGuard.class).getClass() == AppGuard.class
                && on.getBean("rateLimitFilter", FilterRegistrationBean.class).isEnabled();
        boolean offAsAsked = (off.getBean(Journal.class) instanceof NoOpJournal)
                        == settings.off().contains("journal")
                && (off.getBean(AppGuard.class) instanceof NoOpAppGuard)
                        == settings.off().contains("guard")
                && off.getBean("rateLimitFilter", FilterRegistrationBean.class).isEnabled()
                        != settings.off().contains("rateLimit");
        if (!onShipped || !offAsAsked) {
            throw new IllegalStateException("contexts not wired as intended: ON as shipped " + onShipped
                    + ", OFF without " + settings.off() + " " + offAsAsked);
        }
    }

    /**
     * The practice's file and agenda, written directly as a practice's history would be (as in
     * SweepContainmentTests): patients, then {@code perDay} appointments every day from 08:00, 30
     * minutes each, from {@code daysAround} days ago to as many days ahead, patients taken in turn.
     */
    static void seed(
            JdbcClient owner, Fixtures.Practice p, int patientCount, int perDay, int daysAround, LocalDate today) {
        owner.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, search_name, created_at)
                        SELECT gen_random_uuid(), :org, 'Prenom' || i, 'Nom' || i, DATE '1940-01-01' + i % 30000, 'nom' || i,
                               now()
                          FROM generate_series(1, :n) AS i
                        """).param("org", p.organizationId()).param("n", patientCount).update();
        int days = 2 * daysAround + 1;
        owner.sql("""
                        WITH numbered AS (
                            SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM org_patient
                             WHERE organization_id = :org AND NOT decoy),
                        slots AS (
                            SELECT n, (CAST(:first AS date) + n / :perDay + TIME '08:00' + (n % :perDay) * INTERVAL '30 minutes')
                                          AT TIME ZONE 'Europe/Paris' AS start_at
                              FROM generate_series(0, :total - 1) AS n)
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                                                 org_patient_id, start_at, end_at, status, created_at, updated_at)
                        SELECT gen_random_uuid(), :org, :practitioner, :site, :motive, pr.specialty_code, numbered.id,
                               slots.start_at, slots.start_at + INTERVAL '30 minutes', 'BOOKED', now(), now()
                          FROM slots JOIN numbered ON numbered.rn = slots.n % :patients
                          JOIN practitioner pr ON pr.id = :practitioner
                        """)
                .param("org", p.organizationId())
                .param("practitioner", p.practitionerId())
                .param("site", p.siteId())
                .param("motive", p.motiveId())
                .param("first", today.minusDays(daysAround))
                .param("perDay", perDay)
                .param("total", days * perDay)
                .param("patients", patientCount)
                .update();
        owner.sql("ANALYZE org_patient, appointment").update();
    }

    /**
     * One side's phase: fresh tokens (not timed), then every client's syncs at once, each client
     * paced; the journal entries and guard marks written meanwhile are counted as the owner.
     */
    private void phase(Side side, int port, List<Client> clients, SideTotals totals, Latencies round, JdbcClient owner)
            throws Exception {
        List<String> tokens = new ArrayList<>();
        for (Client c : clients) {
            tokens.add(c.app.token(port));
        }
        long journalBefore = count(owner, "journal_entry");
        long marksBefore = count(owner, "guard_mark");
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Client c : clients) {
                String token = tokens.get(c.number);
                running.add(pool.submit(() -> {
                    for (int s = 0; s < settings.syncsPerRound(); s++) {
                        c.sync(port, token, totals, round);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        synchronized (totals) {
            totals.journalEntries += count(owner, "journal_entry") - journalBefore;
            totals.guardMarks += count(owner, "guard_mark") - marksBefore;
        }
    }

    private static long count(JdbcClient owner, String table) {
        return owner.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    /** The same search and reads against both contexts, before anything is timed: the answers must match. */
    private List<String> compareAnswers(Client c, int onPort, int offPort) {
        String onToken = c.app.token(onPort);
        String offToken = c.app.token(offPort);
        String search = searchPath(0);
        JsonNode onBundle = c.json(onPort, onToken, search);
        JsonNode offBundle = c.json(offPort, offToken, search);
        List<String> onIds = idsOf(onBundle);
        List<String> checks = new ArrayList<>();
        checks.add("search " + onIds.size() + " entries, " + (onIds.equals(idsOf(offBundle)) ? "same" : "DIFFERENT"));
        if (!onIds.isEmpty()) {
            JsonNode first = onBundle.path("entry").get(0).path("resource");
            String appointment = "/fhir/Appointment/" + first.path("id").asString();
            checks.add("Appointment read "
                    + (c.json(onPort, onToken, appointment).equals(c.json(offPort, offToken, appointment))
                            ? "identical"
                            : "DIFFERENT"));
            String patient = "/fhir/" + patientsOf(first).get(0);
            checks.add("Patient read "
                    + (c.json(onPort, onToken, patient).equals(c.json(offPort, offToken, patient))
                            ? "identical"
                            : "DIFFERENT"));
        }
        return checks;
    }

    private List<String> grantStatuses(ApiClient orgAdmin, List<Client> clients) {
        JsonNode grants =
                orgAdmin.get("/api/v1/staff/connected-app-grants").body().path("items");
        List<String> statuses = new ArrayList<>();
        for (Client c : clients) {
            for (JsonNode g : grants) {
                if (g.path("id").asString().equals(c.app.grantId())) {
                    statuses.add(g.path("status").asString());
                }
            }
        }
        return statuses;
    }

    /** The search of the client's {@code window}-th 2-day window: from midnight (Paris) that many days from today. */
    private String searchPath(int window) {
        Instant from = today.plusDays(window).atStartOfDay(PARIS).toInstant();
        Instant to = today.plusDays(window + 2L).atStartOfDay(PARIS).toInstant();
        return "/fhir/Appointment?date=ge" + from + "&date=lt" + to + "&_count=50";
    }

    private static List<String> idsOf(JsonNode bundle) {
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            ids.add(entry.path("resource").path("id").asString());
        }
        return ids;
    }

    /** The {@code Patient/{id}} references of an appointment's participants. */
    private static List<String> patientsOf(JsonNode appointment) {
        List<String> refs = new ArrayList<>();
        for (JsonNode participant : appointment.path("participant")) {
            String ref = participant.path("actor").path("reference").asString("");
            if (ref.startsWith("Patient/")) {
                refs.add(ref);
            }
        }
        return refs;
    }

    /** What the OFF side goes without, in words. */
    static String offParts(BenchSettings.Fhir settings) {
        return BenchSettings.Fhir.SWITCHED_OFF.stream()
                .filter(settings.off()::contains)
                .map(part -> part.equals("rateLimit") ? "rate limit" : part)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    /** One connected app syncing over its own HTTP connection, never starting requests faster than the pace. */
    private final class Client {

        final int number;
        final BenchConnectedApp app;
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        private final long interval = (long) (1e9 / settings.requestsPerSecond());
        private long nextStart = System.nanoTime();
        private int syncs;

        Client(int number, BenchConnectedApp app) {
            this.number = number;
            this.app = app;
        }

        /** A search of the next of its windows, then every appointment it returned and that appointment's patient. */
        void sync(int port, String token, SideTotals totals, Latencies round) {
            int window = (number + syncs++) % settings.windows();
            Response search = timed(port, token, searchPath(window), Kind.SEARCH, totals, round);
            if (search.status() != 200) {
                return;
            }
            for (JsonNode entry : ApiSession.JSON.readTree(search.body()).path("entry")) {
                JsonNode appointment = entry.path("resource");
                timed(
                        port,
                        token,
                        "/fhir/Appointment/" + appointment.path("id").asString(),
                        Kind.APPOINTMENT,
                        totals,
                        round);
                for (String patient : patientsOf(appointment)) {
                    timed(port, token, "/fhir/" + patient, Kind.PATIENT, totals, round);
                }
            }
        }

        JsonNode json(int port, String token, String path) {
            Response response = send(port, token, path);
            if (response.status() != 200) {
                throw new IllegalStateException("GET " + path + " on port " + port + ": HTTP " + response.status() + " "
                        + ApiSession.abbreviate(response.body()));
            }
            return ApiSession.JSON.readTree(response.body());
        }

        private Response timed(int port, String token, String path, Kind kind, SideTotals totals, Latencies round) {
            long now = System.nanoTime();
            while (now < nextStart) {
                LockSupport.parkNanos(nextStart - now);
                now = System.nanoTime();
            }
            nextStart = now + interval;
            long started = System.nanoTime();
            Response response = send(port, token, path);
            long elapsed = System.nanoTime() - started;
            totals.sent();
            if (response.status() != 200) {
                totals.failed(response.status());
            } else if (round != null) {
                round.add(elapsed);
                totals.all.add(elapsed);
                totals.byKind.get(kind).add(elapsed);
            }
            return response;
        }

        private Response send(int port, String token, String path) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(TIMEOUT)
                    .header("Accept", "application/fhir+json")
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.body());
            } catch (IOException e) {
                return new Response(-1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private record Response(int status, String body) {}
}
