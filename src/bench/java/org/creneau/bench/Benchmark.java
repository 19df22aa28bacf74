package org.creneau.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.creneau.CreneauApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Créneau benchmark, in one run: starts the application on an empty embedded PostgreSQL,
 * loads a national-scale data set, then measures search latency and booking throughput through
 * the real HTTP API, the latter side by side with plain JDBC. See docs/benchmarks.md.
 */
public final class Benchmark {

    static final double SEARCH_P95_TARGET_MS = 50;
    static final double BOOKING_RATIO_TARGET = 0.5;

    private static final long STARTED = System.nanoTime();

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        BenchSettings settings = BenchSettings.fromSystemProperties();
        Path dataDir = Files.createTempDirectory("creneau-bench-pg-");
        boolean targetsMet;
        ConfigurableApplicationContext app = null;
        try {
            progress("Starting Créneau on an empty embedded PostgreSQL in %s", dataDir);
            app = new SpringApplicationBuilder(CreneauApplication.class)
                    .run(
                            "--creneau.demo.enabled=false",
                            "--server.port=0",
                            "--creneau.database.embedded.data-dir=" + dataDir,
                            "--logging.level.root=WARN");
            String port = app.getEnvironment().getProperty("local.server.port");
            String base = "http://localhost:" + port;
            EmbeddedPostgres postgres = app.getBean(EmbeddedPostgres.class);
            String ownerUrl = postgres.getJdbcUrl("creneau_owner", "creneau");
            String appUrl = postgres.getJdbcUrl("creneau_app", "creneau");
            progress("Créneau is up at %s, PostgreSQL on port %d", base, postgres.getPort());

            Instant now = Instant.now();
            DataGenerator generator = new DataGenerator(ownerUrl, settings, now);
            DataGenerator.Generated data = generator.generate();
            progress("%,d appointments written in %.1f s", data.appointments(), seconds(data.appointmentTime()));
            if (!settings.afterLoadSql().isBlank()) {
                progress("Running bench.afterLoadSql as creneau_owner: %s", settings.afterLoadSql());
                try (Connection c = DriverManager.getConnection(ownerUrl);
                        Statement s = c.createStatement()) {
                    s.execute(settings.afterLoadSql());
                }
            }
            long vacuumStart = System.nanoTime();
            generator.vacuumAnalyze();
            checkpoint(postgres);
            Duration vacuumTime = Duration.ofNanos(System.nanoTime() - vacuumStart);
            progress("VACUUM (ANALYZE) done in %.1f s", seconds(vacuumTime));

            SearchLatency.Result search = new SearchLatency(new ApiSession(base), settings)
                    .run(
                            DataGenerator.CITIES.stream()
                                    .map(DataGenerator.City::name)
                                    .toList(),
                            data.specialties());
            progress("Search measured: %s", search.all().summary());

            BookingThroughput.Result booking = new BookingThroughput(base, appUrl, settings, data).run();

            Report report = new Report();
            targetsMet = report.write(settings, postgres, ownerUrl, data, vacuumTime, search, booking);
            System.out.println();
            System.out.println(report.text());
            Files.createDirectories(settings.report().toAbsolutePath().getParent());
            Files.writeString(settings.report(), report.text());
            progress("Report also written to %s", settings.report().toAbsolutePath());
        } finally {
            if (app != null) {
                app.close();
            }
            deleteRecursively(dataDir);
        }
        System.exit(settings.failOnTarget() && !targetsMet ? 1 : 0);
    }

    static void progress(String format, Object... args) {
        double elapsed = (System.nanoTime() - STARTED) / 1e9;
        System.out.printf(Locale.ROOT, "[bench %6.1f s] %s%n", elapsed, String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** A checkpoint (as the embedded server's superuser) so the load's dirty pages are not flushed mid-measure. */
    private static void checkpoint(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The printed figures, as plain text that is also valid markdown. */
    static final class Report {

        private final StringBuilder out = new StringBuilder();

        String text() {
            return out.toString();
        }

        private void line(String format, Object... args) {
            out.append(String.format(Locale.ROOT, format, args)).append('\n');
        }

        boolean write(
                BenchSettings settings,
                EmbeddedPostgres postgres,
                String ownerUrl,
                DataGenerator.Generated data,
                Duration vacuumTime,
                SearchLatency.Result search,
                BookingThroughput.Result booking)
                throws Exception {
            String pgVersion;
            String sizes;
            try (Connection c = DriverManager.getConnection(ownerUrl);
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                    rs.next();
                    pgVersion = rs.getString(1);
                }
                try (ResultSet rs = s.executeQuery(
                        "SELECT pg_size_pretty(pg_database_size('creneau')), pg_size_pretty(pg_total_relation_size('appointment'))")) {
                    rs.next();
                    sizes = "database " + rs.getString(1) + ", appointment table with indexes " + rs.getString(2);
                }
            }
            line("## Créneau benchmark — %s", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS));
            line("");
            line(
                    "Machine: %d cores (%s), %.1f GB RAM; Java %s; PostgreSQL %s (embedded, default settings).",
                    Runtime.getRuntime().availableProcessors(),
                    cpuModel(),
                    memoryGb(),
                    System.getProperty("java.version"),
                    pgVersion);
            line("");
            line("### Data (generated with COPY as creneau_owner)");
            line("");
            if (!settings.afterLoadSql().isBlank()) {
                line("- **what-if**: after loading, bench.afterLoadSql ran: `%s`", settings.afterLoadSql());
            }
            line(
                    "- %,d practitioners in %,d organizations (1–10 practitioners each), %d cities weighted by"
                            + " population (%s), %d specialties, 2 motives (20 and 40 min) and Mon–Fri opening ranges each",
                    data.agendas().size(),
                    data.organizations(),
                    data.practitionersByCity().size(),
                    topCities(data.practitionersByCity()),
                    data.specialties().size());
            line(
                    "- %,d BOOKED appointments (non-overlapping per practitioner, %d weeks back to %d weeks ahead) on"
                            + " %,d patients",
                    data.appointments(),
                    settings.weeksBefore(),
                    settings.weeksAfter(),
                    data.patients().size());
            line(
                    "- load: directory and patients %.1f s, appointments %.1f s (%d connections), VACUUM (ANALYZE) %.1f s;"
                            + " %s",
                    seconds(data.directoryTime()),
                    seconds(data.appointmentTime()),
                    settings.loadThreads(),
                    seconds(vacuumTime),
                    sizes);
            line("");
            double p95 = search.all().percentileMs(95);
            boolean searchMet = p95 <= SEARCH_P95_TARGET_MS;
            line(
                    "### Search: next free slots of a specialty in a city over %d days",
                    search.window().toDays());
            line("");
            line(
                    "GET /api/v1/search?specialty&city&from&to over HTTP, 1 client, pairs shuffled: %,d measured requests"
                            + " over %d of the %d (city, specialty) pairs%s, after %,d warm-up requests; %,d errors;"
                            + " %.0f%% of %,d listed practitioners had a free slot.",
                    search.requests(),
                    search.byPair().size(),
                    DataGenerator.CITIES.size() * data.specialties().size(),
                    search.budgetReached()
                            ? " (stopped by the " + settings.searchSeconds() + " s budget, bench.searchSeconds)"
                            : " (" + settings.searchRounds() + " rounds)",
                    search.warmupRequests(),
                    search.errors(),
                    search.resultsSeen() == 0 ? 0.0 : 100.0 * search.withFreeSlot() / search.resultsSeen(),
                    search.resultsSeen());
            line("");
            line("    search p50 = %.1f ms", search.all().percentileMs(50));
            line(
                    "    search p95 = %.1f ms   (target p95 <= %.0f ms: %s)",
                    p95, SEARCH_P95_TARGET_MS, verdict(searchMet));
            line("    search p99 = %.1f ms", search.all().percentileMs(99));
            line(
                    "    search max = %.1f ms, mean = %.1f ms",
                    search.all().maxMs(), search.all().meanMs());
            line("");
            line("Slowest pairs (median):");
            line("");
            for (Map.Entry<SearchLatency.Pair, Latencies> e : SearchLatency.slowest(search, 5)) {
                line(
                        "- %s / %s: %d candidates, p50 %.1f ms, max %.1f ms",
                        e.getKey().city(),
                        e.getKey().specialty(),
                        search.candidates().getOrDefault(e.getKey(), -1L),
                        e.getValue().percentileMs(50),
                        e.getValue().maxMs());
            }
            line("");
            BookingThroughput.Side api = booking.api();
            BookingThroughput.Side jdbc = booking.jdbc();
            boolean ratioMet = booking.ratio() >= BOOKING_RATIO_TARGET;
            line("### Booking throughput: %d concurrent clients on distinct free slots", settings.clients());
            line("");
            line(
                    "API: POST /api/v1/appointments (201 HELD) over HTTP, each client its own signed-in patient;"
                            + " JDBC: the same INSERT as creneau_app (RLS on, patient scope set with set_config in each"
                            + " transaction), one connection per thread. %,d API and %,d JDBC bookings after %,d"
                            + " warm-up bookings each; %,d free slots picked beforehand from %,d slot lists.",
                    api.attempted(),
                    jdbc.attempted(),
                    booking.apiWarmup().attempted(),
                    booking.slotsFetched(),
                    booking.slotLists());
            line("");
            line(
                    "    API  throughput = %7.1f bookings/s  (%,d/%,d in %.2f s; %s)",
                    api.perSecond(),
                    api.succeeded(),
                    api.attempted(),
                    seconds(api.elapsed()),
                    api.latencies().summary());
            line(
                    "    JDBC throughput = %7.1f bookings/s  (%,d/%,d in %.2f s; %s)",
                    jdbc.perSecond(),
                    jdbc.succeeded(),
                    jdbc.attempted(),
                    seconds(jdbc.elapsed()),
                    jdbc.latencies().summary());
            line(
                    "    ratio API/JDBC  = %.2f   (target >= %.1f: %s)",
                    booking.ratio(), BOOKING_RATIO_TARGET, verdict(ratioMet));
            List<String> failures = new ArrayList<>();
            for (BookingThroughput.Side side : List.of(booking.apiWarmup(), api, booking.jdbcWarmup(), jdbc)) {
                side.failures().forEach((k, v) -> failures.add(side.name() + ": " + v + " × " + k));
            }
            line("");
            line("Failed bookings: %s", failures.isEmpty() ? "none" : String.join("; ", failures));
            return searchMet && ratioMet && failures.isEmpty();
        }

        private static String verdict(boolean met) {
            return met ? "MET" : "MISSED";
        }

        private static String topCities(Map<String, Integer> byCity) {
            return byCity.entrySet().stream()
                            .limit(3)
                            .map(e -> e.getKey() + " " + e.getValue())
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("")
                    + ", …";
        }

        private static String cpuModel() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElse(System.getProperty("os.arch"));
            } catch (IOException e) {
                return System.getProperty("os.arch");
            }
        }

        private static double memoryGb() {
            try {
                return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(l -> l.startsWith("MemTotal"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)
                        .findFirst()
                        .orElse(Double.NaN);
            } catch (IOException e) {
                return Double.NaN;
            }
        }
    }
}
