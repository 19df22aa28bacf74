package org.creneau.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.creneau.bench.DataGenerator.Agenda;
import org.creneau.bench.DataGenerator.Generated;
import org.creneau.bench.DataGenerator.Person;
import tools.jackson.databind.JsonNode;

/**
 * Booking throughput, side by side with its limit. The API side: {@code clients} concurrent
 * clients over real HTTP, each signed in as its own patient account, each holding distinct free
 * slots with {@code POST /api/v1/appointments} (201 HELD). The JDBC side: as many threads, each
 * with its own connection as the application role {@code creneau_app}, running in each
 * transaction the application's own scope statement ({@code set_config} of the patient account,
 * so row-level security applies as for the API) and the application's own INSERT of a held
 * appointment, under the same exclusion constraint, on other distinct free slots.
 */
final class BookingThroughput {

    static final String PASSWORD = "Bench-password-2026!";

    /** The INSERT of {@code AppointmentRepository.insert} for a hold, with positional parameters. */
    static final String INSERT_HELD = """
            INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                   patient_id, booked_by_account_id, start_at, end_at, status, hold_expires_at,
                   created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'HELD', ?, ?, ?)
            """;

    /** The scope statement of {@code TenantScope} for a patient caller. */
    static final String SCOPE =
            "SELECT set_config('creneau.org_id', ?, true), set_config('creneau.account_id', ?, true)";

    record FreeSlot(
            UUID practitionerId,
            UUID organizationId,
            String specialty,
            UUID siteId,
            UUID motiveId,
            OffsetDateTime start,
            OffsetDateTime end) {}

    record Side(
            String name,
            int attempted,
            int succeeded,
            Duration elapsed,
            Latencies latencies,
            Map<String, Integer> failures) {
        double perSecond() {
            return succeeded / (elapsed.toNanos() / 1e9);
        }
    }

    record Result(Side apiWarmup, Side api, Side jdbcWarmup, Side jdbc, int slotsFetched, int slotLists) {
        double ratio() {
            return api.perSecond() / jdbc.perSecond();
        }
    }

    @FunctionalInterface
    interface Attempt {
        /** Null on success, else what went wrong (counted by kind). */
        String call() throws Exception;
    }

    /** One planned booking of an account: which of its people, which specialty. */
    record Planned(int person, String specialty) {}

    private final String base;
    private final String appUrl;
    private final BenchSettings settings;
    private final Generated data;
    private final Random random;
    private final String runTag;
    private int slotLists;

    BookingThroughput(String base, String appUrl, BenchSettings settings, Generated data) {
        this.base = base;
        this.appUrl = appUrl;
        this.settings = settings;
        this.data = data;
        this.random = new Random(settings.seed() + 7);
        this.runTag = Long.toString(System.currentTimeMillis(), 36);
    }

    Result run() throws Exception {
        List<String> specialties = data.specialties();
        int clients = settings.clients();
        // Each person gets at most 5 bookings, in 5 different specialties: the anti-hoarding rules
        // (5 open appointments per person, 6 days between two of one specialty) never refuse them.
        List<List<Planned>> warmPlans = new ArrayList<>();
        List<List<Planned>> mainPlans = new ArrayList<>();
        Map<String, Integer> demand = new HashMap<>();
        for (int c = 0; c < clients; c++) {
            warmPlans.add(plan(settings.warmupBookingsPerClient(), c + 6, specialties, demand));
            mainPlans.add(plan(settings.bookingsPerClient(), c, specialties, demand));
        }
        int jdbcWarm = clients * settings.warmupBookingsPerClient();
        int jdbcMain = clients * settings.jdbcBookingsPerClient();
        int jdbcPerSpecialty = (jdbcWarm + jdbcMain + specialties.size() - 1) / specialties.size();
        Map<String, ArrayDeque<FreeSlot>> pools = fetchSlots(specialties, demand, jdbcPerSpecialty);
        int fetched = pools.values().stream().mapToInt(ArrayDeque::size).sum();
        Benchmark.progress("Picked %,d distinct free slots from %,d slot lists", fetched, slotLists);

        // API clients: a warm-up account and a measured account each, signed in beforehand.
        List<List<Attempt>> warmApi = new ArrayList<>();
        List<List<Attempt>> mainApi = new ArrayList<>();
        List<Future<List<List<Attempt>>>> setups = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(clients, 8));
        try {
            for (int c = 0; c < clients; c++) {
                List<FreeSlot> warmSlots = take(pools, warmPlans.get(c));
                List<FreeSlot> mainSlots = take(pools, mainPlans.get(c));
                int client = c;
                setups.add(pool.submit(() -> List.of(
                        apiAttempts(client, "warm", warmPlans.get(client), warmSlots),
                        apiAttempts(client, "main", mainPlans.get(client), mainSlots))));
            }
            for (Future<List<List<Attempt>>> f : setups) {
                List<List<Attempt>> both = f.get();
                warmApi.add(both.get(0));
                mainApi.add(both.get(1));
            }
        } finally {
            pool.shutdownNow();
        }
        Benchmark.progress("%d API clients registered and signed in", clients);
        Side apiWarmup = measure("API warm-up", warmApi);
        Side api = measure("API", mainApi);
        Benchmark.progress(
                "API: %,d/%,d held in %.2f s",
                api.succeeded(), api.attempted(), api.elapsed().toMillis() / 1000.0);

        // JDBC threads: the rest of the free slots, on generated patients.
        List<FreeSlot> rest = new ArrayList<>();
        pools.values().forEach(rest::addAll);
        Collections.shuffle(rest, random);
        List<Connection> connections = new ArrayList<>();
        try {
            List<List<Attempt>> warmJdbc = new ArrayList<>();
            List<List<Attempt>> mainJdbc = new ArrayList<>();
            int next = 0;
            for (int t = 0; t < clients; t++) {
                Connection connection = DriverManager.getConnection(appUrl);
                connection.setAutoCommit(false);
                connections.add(connection);
                PreparedStatement scope = connection.prepareStatement(SCOPE);
                PreparedStatement insert = connection.prepareStatement(INSERT_HELD);
                List<Attempt> warm = new ArrayList<>();
                for (int i = 0; i < settings.warmupBookingsPerClient(); i++) {
                    warm.add(jdbcAttempt(connection, scope, insert, rest.get(next++)));
                }
                List<Attempt> main = new ArrayList<>();
                for (int i = 0; i < settings.jdbcBookingsPerClient(); i++) {
                    main.add(jdbcAttempt(connection, scope, insert, rest.get(next++)));
                }
                warmJdbc.add(warm);
                mainJdbc.add(main);
            }
            Side jdbcWarmup = measure("JDBC warm-up", warmJdbc);
            Side jdbc = measure("JDBC", mainJdbc);
            Benchmark.progress(
                    "JDBC: %,d/%,d held in %.2f s",
                    jdbc.succeeded(), jdbc.attempted(), jdbc.elapsed().toMillis() / 1000.0);
            return new Result(apiWarmup, api, jdbcWarmup, jdbc, fetched, slotLists);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static List<Planned> plan(int bookings, int offset, List<String> specialties, Map<String, Integer> demand) {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < bookings; i++) {
            int person = i / 5;
            String specialty = specialties.get((offset + person + i % 5) % specialties.size());
            plan.add(new Planned(person, specialty));
            demand.merge(specialty, 1, Integer::sum);
        }
        return plan;
    }

    private static List<FreeSlot> take(Map<String, ArrayDeque<FreeSlot>> pools, List<Planned> plan) {
        List<FreeSlot> slots = new ArrayList<>();
        for (Planned p : plan) {
            slots.add(pools.get(p.specialty()).removeFirst());
        }
        return slots;
    }

    /**
     * Distinct free slots of the short motive, from {@code GET /api/v1/practitioners/{id}/slots}
     * over the week from tomorrow, at most 12 per practitioner, practitioners taken at random.
     */
    private Map<String, ArrayDeque<FreeSlot>> fetchSlots(
            List<String> specialties, Map<String, Integer> apiDemand, int jdbcPerSpecialty) {
        ApiSession session = new ApiSession(base);
        LocalDate from = LocalDate.now(DataGenerator.PARIS).plusDays(1);
        LocalDate to = from.plusDays(7);
        Map<String, List<Agenda>> bySpecialty = new HashMap<>();
        for (Agenda a : data.agendas()) {
            bySpecialty.computeIfAbsent(a.specialty(), k -> new ArrayList<>()).add(a);
        }
        Map<String, ArrayDeque<FreeSlot>> pools = new HashMap<>();
        for (String specialty : specialties) {
            int wanted = apiDemand.getOrDefault(specialty, 0) + jdbcPerSpecialty;
            ArrayDeque<FreeSlot> pool = new ArrayDeque<>();
            List<Agenda> agendas = new ArrayList<>(bySpecialty.getOrDefault(specialty, List.of()));
            Collections.shuffle(agendas, random);
            for (Agenda a : agendas) {
                if (pool.size() >= wanted) {
                    break;
                }
                JsonNode slots = session.get("/api/v1/practitioners/" + a.practitionerId() + "/slots?motiveId="
                                + a.shortMotiveId() + "&from=" + from + "&to=" + to)
                        .expect(200, "slots")
                        .json()
                        .path("slots");
                slotLists++;
                List<FreeSlot> free = new ArrayList<>();
                for (JsonNode s : slots) {
                    free.add(new FreeSlot(
                            a.practitionerId(),
                            a.organizationId(),
                            a.specialty(),
                            UUID.fromString(s.path("siteId").asString()),
                            UUID.fromString(s.path("motiveId").asString()),
                            OffsetDateTime.parse(s.path("start").asString()),
                            OffsetDateTime.parse(s.path("end").asString())));
                }
                Collections.shuffle(free, random);
                pool.addAll(free.subList(0, Math.min(12, free.size())));
            }
            if (pool.size() < wanted) {
                throw new IllegalStateException("Only " + pool.size() + " free slots found for " + specialty + ", "
                        + wanted + " wanted: raise bench.practitioners or lower bench.bookingsPerClient");
            }
            // Dealt in random order: taken in turn, a practitioner's 12 slots went to two or three clients
            // booking in step, who then queued on that agenda's lock far more often than patients
            // booking at random across the agendas of a specialty do.
            List<FreeSlot> dealt = new ArrayList<>(pool);
            Collections.shuffle(dealt, random);
            pool = new ArrayDeque<>(dealt);
            pools.put(specialty, pool);
        }
        return pools;
    }

    /** Registers and signs in one patient account with the relatives its plan needs; its bookings, ready to go. */
    private List<Attempt> apiAttempts(int client, String kind, List<Planned> plan, List<FreeSlot> slots) {
        if (plan.isEmpty()) {
            return List.of();
        }
        ApiSession session = new ApiSession(base).start();
        String email = "bench-" + runTag + "-" + kind + "-" + client + "@bench.creneau.test";
        session.post("/api/v1/accounts", """
                        {"email":"%s","phone":"+33 6 12 34 %02d %02d","password":"%s","firstName":"Client",\
                        "lastName":"Bench %d","birthDate":"1985-04-12"}""".formatted(email, client % 100, kind.length(), PASSWORD, client))
                .expect(201, "register");
        session.post("/api/v1/auth/login", "{\"email\":\"%s\",\"password\":\"%s\"}".formatted(email, PASSWORD))
                .expect(200, "login");
        int people = plan.get(plan.size() - 1).person() + 1;
        List<String> relatives = new ArrayList<>();
        relatives.add(null);
        for (int r = 1; r < people; r++) {
            JsonNode created = session.post(
                            "/api/v1/me/relatives",
                            "{\"relationship\":\"CHILD\",\"firstName\":\"Enfant %d\",\"lastName\":\"Bench\",\"birthDate\":\"2015-05-14\"}"
                                    .formatted(r))
                    .expect(201, "relative")
                    .json();
            relatives.add(created.path("id").asString());
        }
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            FreeSlot slot = slots.get(i);
            String relative = relatives.get(plan.get(i).person());
            String body = "{\"practitionerId\":\"%s\",\"siteId\":\"%s\",\"motiveId\":\"%s\",\"start\":\"%s\"%s}"
                    .formatted(
                            slot.practitionerId(),
                            slot.siteId(),
                            slot.motiveId(),
                            slot.start(),
                            relative == null ? "" : ",\"relativeId\":\"" + relative + "\"");
            attempts.add(() -> {
                ApiSession.Response r = session.post("/api/v1/appointments", body);
                return r.status() == 201 ? null : "HTTP " + r.status() + " " + problem(r.body());
            });
        }
        return attempts;
    }

    private Attempt jdbcAttempt(
            Connection connection, PreparedStatement scope, PreparedStatement insert, FreeSlot slot) {
        Person who = data.patients().get(random.nextInt(data.patients().size()));
        return () -> {
            try {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                scope.setString(1, "");
                scope.setString(2, who.accountId().toString());
                try (ResultSet rs = scope.executeQuery()) {
                    rs.next();
                }
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, slot.organizationId());
                insert.setObject(3, slot.practitionerId());
                insert.setObject(4, slot.siteId());
                insert.setObject(5, slot.motiveId());
                insert.setString(6, slot.specialty());
                insert.setObject(7, who.patientId());
                insert.setObject(8, who.accountId());
                insert.setObject(9, slot.start());
                insert.setObject(10, slot.end());
                insert.setObject(11, now.plusMinutes(10));
                insert.setObject(12, now);
                insert.setObject(13, now);
                insert.executeUpdate();
                connection.commit();
                return null;
            } catch (SQLException e) {
                connection.rollback();
                return "SQLState " + e.getSQLState() + " " + e.getMessage();
            }
        };
    }

    /** Runs each list on its own thread, all released together; throughput over the slowest. */
    private static Side measure(String name, List<List<Attempt>> work) throws Exception {
        int n = work.size();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger attempted = new AtomicInteger();
        List<Latencies> latencies = new ArrayList<>();
        List<Future<Long>> done = new ArrayList<>();
        try {
            for (List<Attempt> attempts : work) {
                Latencies mine = new Latencies();
                latencies.add(mine);
                done.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (Attempt attempt : attempts) {
                        long started = System.nanoTime();
                        String failure;
                        try {
                            failure = attempt.call();
                        } catch (Exception e) {
                            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                        }
                        mine.add(System.nanoTime() - started);
                        attempted.incrementAndGet();
                        if (failure == null) {
                            succeeded.incrementAndGet();
                        } else {
                            failures.merge(ApiSession.abbreviate(failure), 1, Integer::sum);
                        }
                    }
                    return System.nanoTime();
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            long end = start;
            for (Future<Long> f : done) {
                end = Math.max(end, f.get());
            }
            Latencies all = new Latencies();
            latencies.forEach(all::addAll);
            return new Side(
                    name,
                    attempted.get(),
                    succeeded.get(),
                    Duration.ofNanos(end - start),
                    all,
                    new HashMap<>(failures));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String problem(String body) {
        try {
            JsonNode json = ApiSession.JSON.readTree(body);
            String type = json.path("type").asString("");
            return type.isEmpty() ? json.path("title").asString("") : type;
        } catch (RuntimeException e) {
            return ApiSession.abbreviate(body);
        }
    }
}
