package org.creneau.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.journal.AccessRecord;
import org.creneau.journal.Journal;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Journal appends per second through the public {@link Journal} API, from two application contexts
 * (two nodes) on one database: one writer alone, then many writers spread evenly over both nodes,
 * each appending for an organization of its own, then as many all appending for one organization.
 * Each append is what the FHIR hook appends for an app's read of one appointment; one writer runs
 * again at the end, and the ratios divide by the mean of both one-writer runs. A journal that
 * serializes every append of the platform keeps the many-writer rates near the one-writer rate.
 */
final class JournalThroughput {

    /** The bench's reading of "the ratio shows the lock is gone": twice one writer's rate at least. */
    static final double RATIO_TARGET = 2.0;

    /** One measured run: who wrote, how many entries, in how long. */
    record Run(
            String name,
            int writers,
            int nodes,
            int organizations,
            long entries,
            Duration elapsed,
            Latencies latencies) {
        double perSecond() {
            return entries / Benchmark.seconds(elapsed);
        }
    }

    record Result(
            BenchSettings.Journal settings,
            String postgresVersion,
            Duration startFirst,
            Duration startSecond,
            Run single,
            Run ownOrganizations,
            Run oneOrganization,
            Run singleAgain,
            long entriesCounted,
            long entriesAppended,
            String journalClass) {

        /** One writer's rate: the mean of the runs before and after the many-writer ones, so a drift in load cancels. */
        double singlePerSecond() {
            return (single.perSecond() + singleAgain.perSecond()) / 2;
        }

        double ratioOwn() {
            return ownOrganizations.perSecond() / singlePerSecond();
        }

        double ratioOne() {
            return oneOrganization.perSecond() / singlePerSecond();
        }

        boolean met() {
            return ratioOwn() >= RATIO_TARGET && entriesCounted == entriesAppended;
        }
    }

    private final BenchSettings.Journal settings;
    private final Path dataDir;

    JournalThroughput(BenchSettings.Journal settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    Result run() throws Exception {
        ConfigurableApplicationContext first = null;
        ConfigurableApplicationContext second = null;
        try {
            long started = System.nanoTime();
            first = BenchContexts.start(dataDir, List.of());
            Duration startFirst = since(started);
            started = System.nanoTime();
            // The application refuses a server another live process runs unless told to share it, as its commands are.
            second = BenchContexts.start(dataDir, List.of("--creneau.database.embedded.share-running-server=true"));
            Duration startSecond = since(started);
            Benchmark.progress(
                    "Journal: two contexts up in %.1f s and %.1f s on one database",
                    Benchmark.seconds(startFirst), Benchmark.seconds(startSecond));
            JdbcClient owner = JdbcClient.create(first.getBean("ownerDataSource", DataSource.class));
            List<UUID> organizations = organizations(first, settings.writers());
            List<Journal> nodes = List.of(first.getBean(Journal.class), second.getBean(Journal.class));

            long before = count(owner);
            long[] appended = new long[1];
            Run single = measure("1 writer", nodes, List.of(organizations.get(0)), 1, appended);
            Run own = measure("own organization each", nodes, organizations, settings.writers(), appended);
            Run one = measure("one organization", nodes, List.of(organizations.get(0)), settings.writers(), appended);
            Run again = measure("1 writer again", nodes, List.of(organizations.get(0)), 1, appended);
            long counted = count(owner) - before;
            String version =
                    owner.sql("SHOW server_version").query(String.class).single();
            return new Result(
                    settings,
                    version,
                    startFirst,
                    startSecond,
                    single,
                    own,
                    one,
                    again,
                    counted,
                    appended[0],
                    nodes.get(0).getClass().getName());
        } finally {
            // The second context uses the database server the first started and stops.
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
        }
    }

    /** Organizations that exist, as an entry's organization would. */
    private static List<UUID> organizations(ConfigurableApplicationContext app, int n) {
        TenantScope scope = app.getBean(TenantScope.class);
        DirectoryAdministration directory = app.getBean(DirectoryAdministration.class);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID org = UUID.randomUUID();
            int number = i + 1;
            scope.write(
                    new Caller.System(org),
                    () -> directory.createOrganization(
                            org, "Cabinet journal " + number, DirectoryAdministration.OrganizationKind.PRACTICE));
            ids.add(org);
        }
        return ids;
    }

    /**
     * {@code writers} threads, writer {@code w} on node {@code w % 2} (one writer: the first node)
     * for organization {@code w % organizations}: a warm-up, then the measured time; every append
     * is counted in {@code appended}, warm-up included, to compare with the table afterwards.
     */
    private Run measure(String name, List<Journal> nodes, List<UUID> organizations, int writers, long[] appended)
            throws Exception {
        Latencies latencies = new Latencies();
        long[] counts = new long[writers];
        long[] all = new long[writers];
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch ready = new CountDownLatch(writers);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Journal journal = nodes.get(w % nodes.size());
                UUID organization = organizations.get(w % organizations.size());
                UUID app = UUID.randomUUID();
                UUID grant = UUID.randomUUID();
                running.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    long measureFrom = window[0];
                    long end = window[1];
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            break;
                        }
                        journal.append(entry(app, grant, organization));
                        long done = System.nanoTime();
                        all[writer]++;
                        if (now >= measureFrom && done <= end) {
                            counts[writer]++;
                            latencies.add(done - now);
                        }
                    }
                    return null;
                }));
            }
            ready.await();
            long start = System.nanoTime();
            window[0] = start + Duration.ofSeconds(settings.warmupSeconds()).toNanos();
            window[1] = window[0] + Duration.ofSeconds(settings.seconds()).toNanos();
            go.countDown();
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long entries = 0;
        for (int w = 0; w < writers; w++) {
            entries += counts[w];
            appended[0] += all[w];
        }
        Run run = new Run(
                name,
                writers,
                Math.min(writers, nodes.size()),
                Math.min(writers, organizations.size()),
                entries,
                Duration.ofSeconds(settings.seconds()),
                latencies);
        Benchmark.progress(
                "Journal: %d writer(s), %s: %.1f entries/s (%s)", writers, name, run.perSecond(), latencies.summary());
        return run;
    }

    /** What the FHIR hook appends when an app reads one appointment. */
    private static AccessRecord entry(UUID app, UUID grant, UUID organization) {
        return new AccessRecord(
                AccessRecord.ActorKind.APP,
                app,
                "APP",
                grant,
                organization,
                "GET /fhir/Appointment/{id}",
                "read",
                "Appointment",
                List.of(UUID.randomUUID()),
                List.of("id", "status", "start", "end", "participant"),
                "READ");
    }

    private static long count(JdbcClient owner) {
        return owner.sql("SELECT count(*) FROM journal_entry").query(Long.class).single();
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
