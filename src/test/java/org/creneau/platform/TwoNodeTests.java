package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.creneau.CommandLine;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SmartBackendClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two application nodes, separate processes, on the test's PostgreSQL, behind a real HAProxy that
 * sends traffic to a node only once its readiness says so (docs/operations.md, "Several nodes"). The
 * test's own application shares the database too: it builds the practices and apps the nodes serve.
 * Needs Debian's haproxy: skipped without it, unless CRENEAU_REQUIRE_LOADBALANCER=1 (set by .ci/run,
 * which installs it), which makes a missing one fail.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeTests {

    private static final Path ROOT = Path.of("target/two-nodes");
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    /** Far enough ahead of the real clock the nodes read, and inside every fixture agenda. */
    private static final String FROM = "2027-01-11T00:00:00Z";

    private static final String TO = "2027-01-16T00:00:00Z";

    @Autowired
    EmbeddedServer server;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @Value("${local.server.port}")
    int testPort;

    @Autowired
    com.icegreen.greenmail.util.GreenMail smtp;

    private Node a;
    private Node b;
    private Process balancer;
    private int balancerPort;

    @BeforeAll
    void startTwoNodesBehindTheBalancer() throws Exception {
        boolean required = "1".equals(System.getenv("CRENEAU_REQUIRE_LOADBALANCER"));
        if (!Files.isExecutable(HAPROXY)) {
            if (required) {
                throw new AssertionError("CRENEAU_REQUIRE_LOADBALANCER=1 but " + HAPROXY + " is missing");
            }
            Assumptions.abort("no HAProxy at " + HAPROXY + " (apt-get install haproxy): two-node tests skipped");
        }
        Files.createDirectories(ROOT);
        balancerPort = freePort();
        a = Node.start("a", this);
        b = Node.start("b", this);
        balancer = startBalancer();
        awaitBalancer();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (balancer != null) {
            balancer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (Node node : new Node[] {a, b}) {
            if (node != null) {
                node.process.destroy();
                if (!node.process.waitFor(60, TimeUnit.SECONDS)) {
                    node.process.destroyForcibly();
                }
            }
        }
    }

    @Test
    @Order(1)
    void patientsRacingForOneSlotThroughBothNodesLeaveExactlyOneWinner() throws Exception {
        Practice practice = fixtures.practice("ophtalmologue");
        Map<String, Object> body = freeSlots(practice).get(0);
        List<ApiClient> patients = registerPatients(256);
        double servedBefore = bookingAnswers(a) + bookingAnswers(b);

        ExecutorService pool = Executors.newFixedThreadPool(patients.size());
        List<Integer> statuses = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (ApiClient patient : patients) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return patient.post("/api/v1/appointments", body).status();
                }));
            }
            go.countDown();
            for (Future<Integer> outcome : outcomes) {
                statuses.add(outcome.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(patients.size() - 1);
        assertThat(new JdbcTemplate(owner)
                        .queryForObject(
                                "SELECT count(*) FROM appointment WHERE practitioner_id = ? AND start_at = ?::timestamptz"
                                        + " AND status IN ('HELD','BOOKED')",
                                Long.class,
                                practice.practitionerId(),
                                body.get("start")))
                .isEqualTo(1);
        assertThat(bookingAnswers(a)).as("node a took part").isGreaterThan(0);
        assertThat(bookingAnswers(b)).as("node b took part").isGreaterThan(0);
        assertThat(bookingAnswers(a) + bookingAnswers(b) - servedBefore).isEqualTo(patients.size());
    }

    @Test
    @Order(2)
    void aSessionOpenedOnOneNodeIsTheSameSessionOnTheOther() {
        ApiClient onA = new ApiClient(a.port);
        String accountId = onA.registerAndLogin("two-nodes-" + UUID.randomUUID() + "@test.creneau.fr");
        ApiClient onB = onA.sameCookiesOn(b.port);

        Response me = onB.get("/api/v1/me");

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("accountId")).isEqualTo(accountId);
        // A change made through B is seen through A: one session, one account.
        assertThat(onB.post("/api/v1/auth/logout", null).status()).isIn(200, 204);
        assertThat(onA.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void aTokenFromOneNodeIsAcceptedByTheOtherAndAContainmentOnOneStopsTheAppOnBoth() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        GrantedApp app = GrantedApp.on(testPort, clock, fixtures, practice, List.of("system/Appointment.rs"));
        String token = tokenFrom(a, app);
        String search = "/fhir/Appointment?date=ge" + FROM + "&date=lt" + TO;

        assertThat(fhirGet(b, token, search)).isEqualTo(200);
        assertThat(fhirGet(a, token, search)).isEqualTo(200);
        assertThat(fhirGet(b, tokenFrom(b, app), search)).isEqualTo(200);

        // Identifiers tried one after another on node a, until the guard there contains the app.
        int answered = 0;
        int status = 404;
        while (status == 404 && answered < 100) {
            status = fhirGet(a, token, "/fhir/Appointment/" + UUID.randomUUID());
            answered++;
        }
        assertThat(status).as("contained on node a after %d tries", answered).isEqualTo(401);

        assertThat(fhirGet(b, token, search))
                .as("node b at the app's next call")
                .isEqualTo(401);
        assertThat(app.status()).isEqualTo("SUSPENDED");
    }

    @Test
    @Order(4)
    void aNodeKilledMidLoadLosesNoAnsweredBookingAndNoJournalEntry() throws Exception {
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slots.addAll(freeSlots(fixtures.practice("pediatre")));
        }
        List<ApiClient> patients = registerPatients(16);
        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ConcurrentLinkedQueue<Map<String, Object>> queue =
                new java.util.concurrent.ConcurrentLinkedQueue<>(slots);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (ApiClient patient : patients) {
            Thread thread = new Thread(() -> {
                Map<String, Object> slot;
                while (!stop.get() && (slot = queue.poll()) != null) {
                    try {
                        Response held = patient.post("/api/v1/appointments", slot);
                        if (held.status() == 201) {
                            answered.add(held.text("id"));
                        } else if (held.status() != 409 && held.status() != 502 && held.status() != 503) {
                            unexpected.add(held.status() + " " + held.body());
                        }
                    } catch (IllegalStateException connectionCut) {
                        // A request in flight to the killed node: not answered, so nothing promised.
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (answered.size() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        a.process.destroyForcibly(); // kill -9 in the middle of the load
        int atKill = answered.size();
        while (answered.size() < atKill + 20 && !queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }

        assertThat(unexpected).isEmpty();
        assertThat(answered.size())
                .as("bookings answered after the kill, by node b")
                .isGreaterThan(atKill);
        JdbcTemplate db = new JdbcTemplate(owner);
        for (String id : answered) {
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM appointment WHERE id = ?::uuid AND status = 'HELD'", Long.class, id))
                    .as("answered hold " + id)
                    .isEqualTo(1);
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM journal_entry WHERE ?::uuid = ANY (resource_ids)", Long.class, id))
                    .as("journal entry of " + id)
                    .isGreaterThan(0);
        }
        assertThat(journalVerify()).startsWith("0:").contains("Journal intact");
    }

    // ---------------------------------------------------------------------------------------------

    private List<ApiClient> registerPatients(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiClient>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                made.add(pool.submit(() -> {
                    ApiClient patient = new ApiClient(balancerPort);
                    patient.registerAndLogin("two-nodes-" + UUID.randomUUID() + "@test.creneau.fr");
                    return patient;
                }));
            }
            List<ApiClient> patients = new ArrayList<>();
            for (Future<ApiClient> patient : made) {
                patients.add(patient.get(300, TimeUnit.SECONDS));
            }
            return patients;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Free slots of the practice's agenda, as booking bodies. */
    private List<Map<String, Object>> freeSlots(Practice practice) {
        Response slots = new ApiClient(balancerPort)
                .get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + practice.motiveId()
                        + "&from=" + FROM + "&to=" + TO);
        assertThat(slots.status()).isEqualTo(200);
        List<Map<String, Object>> found = new ArrayList<>();
        for (JsonNode slot : slots.body().path("slots")) {
            found.add(Map.of(
                    "practitionerId", practice.practitionerId().toString(),
                    "siteId", slot.path("siteId").asString(),
                    "motiveId", practice.motiveId().toString(),
                    "start", slot.path("start").asString()));
        }
        assertThat(found).isNotEmpty();
        return found;
    }

    /** A token asked of {@code node}, with an assertion naming the platform's public address as audience. */
    private String tokenFrom(Node node, GrantedApp app) {
        SmartBackendClient viaBalancer = app.keys.at(balancerPort);
        String assertion = viaBalancer.sign(
                viaBalancer.claims(app.clientId(), Instant.now()).build(), viaBalancer.rsa);
        SmartBackendClient.Token token = app.keys.at(node.port).requestToken(assertion, String.join(" ", app.scopes));
        assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
        return token.accessToken();
    }

    private static int fhirGet(Node node, String token, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + node.port + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Booking answers a node gave (201 and 409), from its own metrics. */
    private static double bookingAnswers(Node node) throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + node.management + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count{")
                    && line.contains("method=\"POST\"")
                    && line.contains("uri=\"/api/v1/appointments\"")
                    && (line.contains("status=\"201\"") || line.contains("status=\"409\""))) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private Process startBalancer() throws IOException {
        Path config = ROOT.resolve("haproxy.cfg");
        Files.writeString(
                config,
                """
                global
                    maxconn 2048
                defaults
                    mode http
                    timeout connect 5s
                    # Patients sign in long before they race: idle connections are kept that long.
                    timeout client 10m
                    timeout http-keep-alive 10m
                    timeout server 10m
                    option forwardfor
                    option http-server-close
                frontend public
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                    option httpchk GET /actuator/health/readiness
                    http-check expect status 200
                    server a 127.0.0.1:%d check port %d inter 500ms fall 2 rise 1
                    server b 127.0.0.1:%d check port %d inter 500ms fall 2 rise 1
                """.formatted(balancerPort, a.port, a.management, b.port, b.management),
                StandardCharsets.UTF_8);
        return new ProcessBuilder(HAPROXY.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ROOT.resolve("haproxy.log").toFile())
                .start();
    }

    private void awaitBalancer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (new ApiClient(balancerPort).get("/api/v1/specialties").status() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("HAProxy did not answer: see " + ROOT.resolve("haproxy.log"));
    }

    private static String journalVerify() {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        int code = CommandLine.run(
                new String[] {
                    "journal",
                    "verify",
                    "--creneau.database.embedded.data-dir=target/test-postgres/shared",
                    "--creneau.journal.checkpoint-directory=target/test-journal/checkpoints",
                    "--creneau.journal.key-directory=target/test-journal/keys"
                },
                new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
        return code + ":" + buffer.toString(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** One node: the application as its own process, on the test's database, as an operator runs it. */
    static final class Node {

        final Process process;
        final int port;
        final int management;

        private Node(Process process, int port, int management) {
            this.process = process;
            this.port = port;
            this.management = management;
        }

        static Node start(String name, TwoNodeTests test) throws Exception {
            int port = freePort();
            int management = freePort();
            String url = "jdbc:postgresql://localhost:" + test.server.port() + "/" + EmbeddedDatabase.DATABASE;
            List<String> command = new ArrayList<>(CrashRecoveryTests.Application.java());
            command.addAll(List.of(
                    "--server.port=" + port,
                    "--management.server.port=" + management,
                    "--spring.datasource.url=" + url,
                    "--spring.datasource.username=" + EmbeddedDatabase.APP,
                    "--spring.datasource.password=" + test.server.password(EmbeddedDatabase.APP),
                    "--spring.flyway.user=" + EmbeddedDatabase.OWNER,
                    "--spring.flyway.password=" + test.server.password(EmbeddedDatabase.OWNER),
                    // One journal key and one checkpoint directory for every node (a shared volume).
                    "--creneau.journal.checkpoint-directory=target/test-journal/checkpoints",
                    "--creneau.journal.key-directory=target/test-journal/keys",
                    "--creneau.journal.checkpoint-interval=PT1H",
                    "--creneau.connect.issuer=http://localhost:" + test.balancerPort,
                    "--spring.mail.host=127.0.0.1",
                    "--spring.mail.port=" + test.smtp.getSmtp().getPort(),
                    // HAProxy forwards the client's address from this machine.
                    "--creneau.trusted-proxies=127.0.0.1,::1",
                    "--creneau.guard.unlimited-addresses=127.0.0.1,0:0:0:0:0:0:0:1",
                    "--creneau.guard.requests-per-minute-per-account=1000000",
                    "--creneau.booking.min-days-between-same-specialty=0",
                    "--creneau.booking.max-open-per-patient=100000",
                    // Patients book without opening their verification mail.
                    "--creneau.account-links.unverified-open-appointments=100000",
                    "--creneau.booking.sweep-interval=PT1H"));
            Path log = ROOT.resolve("node-" + name + ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Node node = new Node(process, port, management);
            node.awaitReady(log);
            return node;
        }

        private void awaitReady(Path log) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("a node stopped at start: see " + log);
                }
                try {
                    if (http.send(
                                            HttpRequest.newBuilder(URI.create("http://localhost:" + management
                                                            + "/actuator/health/readiness"))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new AssertionError("a node was not ready within 240 s: see " + log);
        }
    }
}
