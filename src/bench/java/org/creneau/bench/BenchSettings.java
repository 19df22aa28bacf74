package org.creneau.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What one benchmark run does, read from system properties ({@code -Dbench.xxx=...} on the Maven
 * command line; the {@code bench} profile passes them on to the forked JVM).
 *
 * @param practitioners practitioners to generate (full scale: 10,000)
 * @param appointments BOOKED appointments to generate (full scale: 1,000,000)
 * @param patients patient accounts the generated appointments belong to
 * @param weeksBefore weeks of past agenda the appointments are spread over
 * @param weeksAfter weeks of future agenda the appointments are spread over
 * @param loadThreads connections loading the appointments in parallel
 * @param searchWarmupRounds passes over every (city, specialty) pair before measuring, at most
 * @param searchWarmupSeconds time the search warm-up may take, at most
 * @param searchRounds measured passes over every (city, specialty) pair, at most
 * @param searchSeconds time the measured searches may take: past it, no new request starts (pairs
 *     are shuffled, so a partial round is a random sample of pairs)
 * @param clients concurrent booking clients (API) and threads (JDBC)
 * @param bookingsPerClient measured API bookings per client, at most 65 (13 people × 5 open appointments)
 * @param jdbcBookingsPerClient measured JDBC bookings per thread
 * @param warmupBookingsPerClient bookings per client before measuring, at most 65
 * @param seed seed of every random choice
 * @param failOnTarget exit non-zero when a target is missed
 * @param afterLoadSql optional SQL run as the owner after loading, before VACUUM (ANALYZE): for
 *     what-if experiments such as an extra index; empty for the schema as migrated
 * @param report where the report is also written (markdown)
 * @param parts the parts to run, among {@link #PARTS} (run in that order)
 * @param fhir what the FHIR read-path part does
 * @param journal what the journal-append part does
 * @param apps what the concurrent connected-apps part does
 * @param mix what the FHIR scheduling-mix part does
 */
record BenchSettings(
        int practitioners,
        int appointments,
        int patients,
        int weeksBefore,
        int weeksAfter,
        int loadThreads,
        int searchWarmupRounds,
        int searchWarmupSeconds,
        int searchRounds,
        int searchSeconds,
        int clients,
        int bookingsPerClient,
        int jdbcBookingsPerClient,
        int warmupBookingsPerClient,
        long seed,
        boolean failOnTarget,
        String afterLoadSql,
        Path report,
        Set<String> parts,
        Fhir fhir,
        Journal journal,
        Apps apps,
        Mix mix) {

    static final List<String> PARTS =
            List.of("search", "booking", "fhir", "journal", "apps", "mix", "reminders", "workspace-day");

    /**
     * Journal appends through the public {@code Journal} API from two application contexts on one
     * database: one writer, then many writers each for an organization of its own, then as many for
     * one organization.
     *
     * @param writers concurrent writers of the many-writer runs, split evenly over the two contexts
     * @param warmupSeconds unmeasured appends before each run
     * @param seconds measured time of each run
     */
    record Journal(int writers, int warmupSeconds, int seconds) {
        Journal {
            if (writers < 2 || writers > 32 || warmupSeconds < 0 || seconds < 1) {
                throw new IllegalArgumentException(
                        "bench.journalWriters 2–32, bench.journalWarmupSeconds >= 0, bench.journalSeconds >= 1");
            }
        }
    }

    /**
     * Connected apps syncing at once, each its own organization and grant, each searching its
     * appointments by date window, in full and then incrementally with {@code _lastUpdated}.
     *
     * @param apps concurrent apps (and organizations), one client thread each
     * @param patients patients in each organization's file
     * @param perDay appointments a day in each organization, every day from 08:00, 30 minutes each
     * @param daysAround days of agenda before and after today in each organization
     * @param searchesPerSecond pace of each app: its searches start at most this often
     * @param warmupSeconds unmeasured syncing first
     * @param seconds measured syncing
     */
    record Apps(
            int apps,
            int patients,
            int perDay,
            int daysAround,
            double searchesPerSecond,
            int warmupSeconds,
            int seconds) {
        Apps {
            if (apps < 1 || apps > 64 || patients < 1 || perDay < 1 || perDay > 20 || daysAround < 3) {
                throw new IllegalArgumentException("bench.appsCount 1–64, bench.appsPatients >= 1, bench.appsPerDay"
                        + " 1–20, bench.appsDaysAround >= 3");
            }
            if (!(searchesPerSecond > 0) || warmupSeconds < 0 || seconds < 1) {
                throw new IllegalArgumentException(
                        "bench.appsSearchesPerSecond > 0, bench.appsWarmupSeconds >= 0," + " bench.appsSeconds >= 1");
            }
        }
    }

    /**
     * The FHIR scheduling mix: clients searching free slots and booking what they saw, then a plain
     * JDBC baseline of the same work.
     *
     * @param clients concurrent clients of each side
     * @param schedules agendas (practitioners) of the organization, each searched and booked
     * @param patients patients in the organization's file, booked for at random
     * @param searchPercent share of operations that are slot searches; the rest are bookings
     * @param days days ahead (from tomorrow) the 7-day search windows start in
     * @param warmupSeconds unmeasured operations before each side
     * @param seconds measured time of the API side
     * @param jdbcSeconds measured time of the JDBC side
     */
    record Mix(
            int clients,
            int schedules,
            int patients,
            int searchPercent,
            int days,
            int warmupSeconds,
            int seconds,
            int jdbcSeconds) {
        Mix {
            if (clients < 1 || clients > 64 || schedules < 1 || schedules > 500 || patients < 1) {
                throw new IllegalArgumentException(
                        "bench.mixClients 1–64, bench.mixSchedules 1–500, bench.mixPatients >= 1");
            }
            if (searchPercent < 0 || searchPercent > 100 || days < 1 || days > 80) {
                throw new IllegalArgumentException("bench.mixSearchPercent 0–100, bench.mixDays 1–80");
            }
            if (warmupSeconds < 0 || seconds < 1 || jdbcSeconds < 1) {
                throw new IllegalArgumentException(
                        "bench.mixWarmupSeconds >= 0, bench.mixSeconds and bench.mixJdbcSeconds >= 1");
            }
        }
    }

    /**
     * The FHIR read path with the journal and the guard on, side by side with them off.
     *
     * @param clients concurrent client threads per side, each a connected app of its own (1–4)
     * @param patients patients in the practice's file
     * @param perDay appointments a day, every day, 08:00 to 18:00 (Paris)
     * @param daysAround days of agenda before and after today
     * @param windows different 2-day windows a client syncs, each starting a day after the previous one
     * @param syncsPerRound syncs (a window search, then every appointment and patient it returned read by
     *     id) per client and side in a round
     * @param warmupRounds unmeasured ON then OFF rounds first
     * @param rounds measured ON then OFF rounds
     * @param requestsPerSecond pace of each client: requests start at most this often (the rate limit of
     *     one app is 1,200 a minute)
     * @param off what the OFF context goes without, among {@link #SWITCHED_OFF}: all three for the
     *     figure the target is about, fewer to tell which one costs what
     */
    record Fhir(
            int clients,
            int patients,
            int perDay,
            int daysAround,
            int windows,
            int syncsPerRound,
            int warmupRounds,
            int rounds,
            double requestsPerSecond,
            Set<String> off) {

        static final List<String> SWITCHED_OFF = List.of("journal", "guard", "rateLimit");

        Fhir {
            off = Set.copyOf(off);
            if (off.isEmpty() || !SWITCHED_OFF.containsAll(off)) {
                throw new IllegalArgumentException("bench.fhirOff must name some of " + SWITCHED_OFF);
            }
            if (clients < 1 || clients > 4) {
                throw new IllegalArgumentException("bench.fhirClients must be between 1 and 4");
            }
            if (patients < 1 || perDay < 1 || perDay > 20 || daysAround < 2 || windows < 1 || windows > daysAround) {
                throw new IllegalArgumentException("bench.fhirPatients >= 1, bench.fhirPerDay 1–20 (30-minute"
                        + " appointments from 08:00 to 18:00), bench.fhirDaysAround >= 2 and bench.fhirWindows"
                        + " between 1 and bench.fhirDaysAround");
            }
            if (syncsPerRound < 1 || warmupRounds < 0 || rounds < 1 || !(requestsPerSecond > 0)) {
                throw new IllegalArgumentException("bench.fhirSyncsPerRound, bench.fhirRounds and"
                        + " bench.fhirRequestsPerSecond must be > 0, bench.fhirWarmupRounds >= 0");
            }
        }
    }

    /** The most bookings one patient account can hold open: itself and 12 relatives, 5 each. */
    static final int MAX_BOOKINGS_PER_ACCOUNT = 13 * 5;

    BenchSettings {
        parts = Set.copyOf(parts);
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("bench.parts: unknown part " + part + ", known: " + PARTS);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("bench.parts names no part; known: " + PARTS);
        }
        if (practitioners < 24) {
            throw new IllegalArgumentException("bench.practitioners must be at least 24");
        }
        if (appointments < 0 || patients < 1) {
            throw new IllegalArgumentException("bench.appointments must be >= 0 and bench.patients >= 1");
        }
        if (bookingsPerClient < 1 || bookingsPerClient > MAX_BOOKINGS_PER_ACCOUNT) {
            throw new IllegalArgumentException(
                    "bench.bookingsPerClient must be between 1 and " + MAX_BOOKINGS_PER_ACCOUNT);
        }
        if (warmupBookingsPerClient < 0 || warmupBookingsPerClient > MAX_BOOKINGS_PER_ACCOUNT) {
            throw new IllegalArgumentException(
                    "bench.warmupBookingsPerClient must be between 0 and " + MAX_BOOKINGS_PER_ACCOUNT);
        }
        if (clients < 1 || loadThreads < 1 || searchRounds < 1 || searchSeconds < 1 || jdbcBookingsPerClient < 1) {
            throw new IllegalArgumentException(
                    "bench.clients, bench.loadThreads, bench.searchRounds, bench.searchSeconds"
                            + " and bench.jdbcBookingsPerClient must be >= 1");
        }
    }

    static BenchSettings fromSystemProperties() {
        int appointments = intProperty("bench.appointments", 1_000_000);
        return new BenchSettings(
                intProperty("bench.practitioners", 10_000),
                appointments,
                intProperty("bench.patients", Math.max(1_000, appointments / 10)),
                intProperty("bench.weeksBefore", 3),
                intProperty("bench.weeksAfter", 3),
                intProperty(
                        "bench.loadThreads",
                        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))),
                intProperty("bench.searchWarmupRounds", 2),
                intProperty("bench.searchWarmupSeconds", 60),
                intProperty("bench.searchRounds", 5),
                intProperty("bench.searchSeconds", 240),
                intProperty("bench.clients", 16),
                intProperty("bench.bookingsPerClient", 60),
                intProperty("bench.jdbcBookingsPerClient", 240),
                intProperty("bench.warmupBookingsPerClient", 10),
                Long.parseLong(property("bench.seed", "20260329")),
                Boolean.parseBoolean(property("bench.failOnTarget", "false")),
                property("bench.afterLoadSql", ""),
                Path.of(property("bench.report", "target/bench/report.md")),
                Set.copyOf(Arrays.stream(
                                property("bench.parts", String.join(",", PARTS)).split(","))
                        .map(String::trim)
                        .filter(p -> !p.isEmpty())
                        .toList()),
                new Fhir(
                        intProperty("bench.fhirClients", 2),
                        intProperty("bench.fhirPatients", 5_000),
                        intProperty("bench.fhirPerDay", 20),
                        intProperty("bench.fhirDaysAround", 365),
                        intProperty("bench.fhirWindows", 3),
                        intProperty("bench.fhirSyncsPerRound", 4),
                        intProperty("bench.fhirWarmupRounds", 1),
                        intProperty("bench.fhirRounds", 6),
                        Double.parseDouble(property("bench.fhirRequestsPerSecond", "15")),
                        list(property("bench.fhirOff", String.join(",", Fhir.SWITCHED_OFF)))),
                new Journal(
                        intProperty("bench.journalWriters", 16),
                        intProperty("bench.journalWarmupSeconds", 5),
                        intProperty("bench.journalSeconds", 20)),
                new Apps(
                        intProperty("bench.appsCount", 16),
                        intProperty("bench.appsPatients", 500),
                        intProperty("bench.appsPerDay", 20),
                        intProperty("bench.appsDaysAround", 30),
                        Double.parseDouble(property("bench.appsSearchesPerSecond", "2")),
                        intProperty("bench.appsWarmupSeconds", 10),
                        intProperty("bench.appsSeconds", 60)),
                new Mix(
                        intProperty("bench.mixClients", 16),
                        intProperty("bench.mixSchedules", 44),
                        intProperty("bench.mixPatients", 2000),
                        intProperty("bench.mixSearchPercent", 70),
                        intProperty("bench.mixDays", 28),
                        intProperty("bench.mixWarmupSeconds", 10),
                        intProperty("bench.mixSeconds", 60),
                        intProperty("bench.mixJdbcSeconds", 20)));
    }

    /** The comma-separated names of a property's value. */
    private static Set<String> list(String value) {
        return Set.copyOf(Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .toList());
    }

    boolean runs(String part) {
        return parts.contains(part);
    }

    private static int intProperty(String name, int fallback) {
        return Integer.parseInt(property(name, Integer.toString(fallback)).replace("_", ""));
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        // An unset Maven property reaches us as its own "${...}" text.
        return value == null || value.isBlank() || value.startsWith("${") ? fallback : value.trim();
    }
}
