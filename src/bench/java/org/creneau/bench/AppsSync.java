package org.creneau.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.creneau.guard.internal.CanarySeeding;
import org.creneau.support.ApiClient;
import org.creneau.support.BenchConnectedApp;
import org.creneau.support.BenchFixtures;
import org.creneau.support.Fixtures;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Connected apps syncing at once, each the software of an organization of its own with its own
 * grant: every app searches its appointments by 2-day window, in full and then incrementally
 * ({@code _lastUpdated} after its previous search of that window), paced, with the journal and the
 * guard on. The figure is the latency of the FHIR search under that concurrency.
 */
final class AppsSync {

    static final double P95_TARGET_MS = 50;
    static final List<String> SCOPES = List.of("system/Appointment.rs", "system/Patient.r");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** The 2-day windows an app syncs in turn: today, tomorrow, the day after. */
    private static final int WINDOWS = 3;

    enum Kind {
        FULL,
        INCREMENTAL
    }

    /** What the apps did; latencies of 200 answers in the measured time only. */
    static final class Totals {
        final Latencies all = new Latencies();
        final Latencies full = new Latencies();
        final Latencies incremental = new Latencies();
        final Map<Integer, Integer> failures = new TreeMap<>();
        long sent;
        long entriesShown;

        synchronized void failed(int status) {
            failures.merge(status, 1, Integer::sum);
        }

        synchronized void sent(int shown) {
            sent++;
            entriesShown += shown;
        }
    }

    record Result(
            BenchSettings.Apps settings,
            String postgresVersion,
            Duration start,
            Duration seed,
            long appointmentsPerOrganization,
            Totals totals,
            long journalEntries,
            long guardMarks,
            int includeStatus,
            List<String> grantStatuses,
            List<String> alertSignals) {

        boolean contained() {
            return !alertSignals.isEmpty() || grantStatuses.stream().anyMatch(s -> !"ACTIVE".equals(s));
        }

        boolean met() {
            return totals.all.percentileMs(95) <= P95_TARGET_MS && !contained() && totals.failures.isEmpty();
        }
    }

    private final BenchSettings.Apps settings;
    private final Path dataDir;
    private final LocalDate today = LocalDate.now(PARIS);

    AppsSync(BenchSettings.Apps settings, Path dataDir) {
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
            Benchmark.progress("Apps: context up on port %d in %.1f s", port, Benchmark.seconds(start));
            JdbcClient owner = JdbcClient.create(app.getBean("ownerDataSource", DataSource.class));
            Clock clock = app.getBean(Clock.class);

            started = System.nanoTime();
            Fixtures fixtures = BenchFixtures.of(app);
            ApiClient platformAdmin = new ApiClient(port, clock);
            platformAdmin.loginStaff(fixtures.platformAdmin(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            List<Client> clients = new ArrayList<>();
            List<ApiClient> admins = new ArrayList<>();
            for (int i = 0; i < settings.apps(); i++) {
                Fixtures.Practice practice = fixtures.practice("medecin-generaliste");
                FhirReadLatency.seed(
                        owner, practice, settings.patients(), settings.perDay(), settings.daysAround(), today);
                app.getBean(CanarySeeding.class).seed(practice.organizationId());
                ApiClient orgAdmin = new ApiClient(port, clock);
                orgAdmin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
                admins.add(orgAdmin);
                clients.add(new Client(
                        i,
                        BenchConnectedApp.register(
                                port, clock, platformAdmin, orgAdmin, "Logiciel de cabinet " + (i + 1), SCOPES)));
            }
            Duration seed = since(started);
            long perOrganization = (2L * settings.daysAround() + 1) * settings.perDay();
            Benchmark.progress(
                    "Apps: %d organizations, each %,d patients, %,d appointments and its app, in %.1f s",
                    clients.size(), settings.patients(), perOrganization, Benchmark.seconds(seed));

            // Whether the server takes _include with a window search (HAPI answers 400 to a parameter
            // no search method declares); the sync below does without it either way.
            Client probe = clients.get(0);
            int includeStatus = probe.send(
                            port, probe.app.token(port), searchPath(0, null) + "&_include=Appointment:patient")
                    .status();
            Benchmark.progress("Apps: a window search with _include=Appointment:patient is answered %d", includeStatus);

            Totals totals = new Totals();
            long journalBefore = count(owner, "journal_entry");
            long marksBefore = count(owner, "guard_mark");
            ExecutorService pool = Executors.newFixedThreadPool(clients.size());
            CountDownLatch ready = new CountDownLatch(clients.size());
            CountDownLatch go = new CountDownLatch(1);
            long[] window = new long[2];
            try {
                List<Future<?>> running = new ArrayList<>();
                for (Client c : clients) {
                    running.add(pool.submit(() -> {
                        c.token = c.app.token(port);
                        ready.countDown();
                        go.await();
                        c.syncUntil(port, window[0], window[1], totals);
                        return null;
                    }));
                }
                ready.await();
                window[0] = System.nanoTime()
                        + Duration.ofSeconds(settings.warmupSeconds()).toNanos();
                window[1] = window[0] + Duration.ofSeconds(settings.seconds()).toNanos();
                go.countDown();
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long journal = count(owner, "journal_entry") - journalBefore;
            long marks = count(owner, "guard_mark") - marksBefore;
            Benchmark.progress("Apps: measured %s", totals.all.summary());

            List<String> statuses = new ArrayList<>();
            List<String> alerts = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                ApiClient orgAdmin = admins.get(i);
                for (JsonNode g : orgAdmin.get("/api/v1/staff/connected-app-grants")
                        .body()
                        .path("items")) {
                    if (g.path("id").asString().equals(clients.get(i).app.grantId())) {
                        statuses.add(g.path("status").asString());
                    }
                }
                for (JsonNode alert : orgAdmin.get("/api/v1/staff/guard-alerts").body()) {
                    alerts.add(alert.path("signal").asString());
                }
            }
            String version =
                    owner.sql("SHOW server_version").query(String.class).single();
            return new Result(
                    settings,
                    version,
                    start,
                    seed,
                    perOrganization,
                    totals,
                    journal,
                    marks,
                    includeStatus,
                    statuses,
                    alerts);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** The search of the {@code window}-th 2-day window from midnight (Paris), changed after {@code since} if given. */
    private String searchPath(int window, Instant since) {
        Instant from = today.plusDays(window).atStartOfDay(PARIS).toInstant();
        Instant to = today.plusDays(window + 2L).atStartOfDay(PARIS).toInstant();
        String path = "/fhir/Appointment?date=ge" + from + "&date=lt" + to + "&_count=50";
        return since == null ? path : path + "&_lastUpdated=gt" + since.truncatedTo(ChronoUnit.SECONDS);
    }

    private static long count(JdbcClient owner, String table) {
        return owner.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    /** One app over its own HTTP connection, paced. */
    private final class Client {

        final int number;
        final BenchConnectedApp app;
        private final HttpClient http = BenchContexts.http();
        private final long interval = (long) (1e9 / settings.searchesPerSecond());
        private final Instant[] lastFull = new Instant[WINDOWS];
        volatile String token;

        Client(int number, BenchConnectedApp app) {
            this.number = number;
            this.app = app;
        }

        /**
         * Syncs until {@code end}: each window in turn, a full search the first time and then every
         * other time, an incremental one ({@code _lastUpdated} after its last full search) in between.
         */
        void syncUntil(int port, long measureFrom, long end, Totals totals) {
            long nextStart = System.nanoTime() + number * interval / settings.apps();
            for (int step = 0; ; step++) {
                long now = System.nanoTime();
                while (now < nextStart) {
                    LockSupport.parkNanos(nextStart - now);
                    now = System.nanoTime();
                }
                if (now >= end) {
                    return;
                }
                nextStart = now + interval;
                int window = (number + step / 2) % WINDOWS;
                boolean full = step % 2 == 0 || lastFull[window] == null;
                Instant sentAt = Instant.now();
                String path = searchPath(window, full ? null : lastFull[window]);
                long started = System.nanoTime();
                BenchContexts.Answer answer = send(port, token, path);
                long elapsed = System.nanoTime() - started;
                if (answer.status() == 401) {
                    // The token lapsed (5 minutes): a new one, not timed, and the search again at the next step.
                    token = app.token(port);
                    continue;
                }
                if (answer.status() != 200) {
                    totals.failed(answer.status());
                    continue;
                }
                int shown =
                        ApiSession.JSON.readTree(answer.body()).path("entry").size();
                totals.sent(shown);
                if (full) {
                    lastFull[window] = sentAt.minusSeconds(1);
                }
                if (started >= measureFrom && started + elapsed <= end) {
                    totals.all.add(elapsed);
                    (full ? totals.full : totals.incremental).add(elapsed);
                }
            }
        }

        BenchContexts.Answer send(int port, String token, String path) {
            return BenchContexts.fhir(http, port, token, path, null);
        }
    }
}
