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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.creneau.CreneauApplication;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The application and its embedded PostgreSQL killed ({@code kill -9}, both) in the middle of a
 * booking load, three times, and restarted from the same directory: every hold, confirmation and
 * cancellation that was answered is still there as answered, a request cut short left either
 * nothing or its whole result, and the access journal still verifies.
 */
class CrashRecoveryTests {

    private static final Path ROOT = Path.of("target/crash-test").toAbsolutePath();
    private static final Path DATA = ROOT.resolve("postgres");
    private static final Path LOG = ROOT.resolve("application.log");
    private static final int WORKERS = 6;
    private static final int KILLS = 3;

    /** What the application last answered for an appointment. */
    record Acknowledged(String status, Instant expiresAt) {}

    /** A request sent and not answered when everything was killed: its effect may or may not be there. */
    record InFlight(String appointmentId, String status, Slot slot) {}

    record Slot(String practitionerId, String siteId, String motiveId, String start) {
        Map<String, Object> body() {
            return Map.of("practitionerId", practitionerId, "siteId", siteId, "motiveId", motiveId, "start", start);
        }
    }

    private final Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Integer> patientOf = new ConcurrentHashMap<>();
    private final Set<String> cutShortButWhole = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Slot> freeSlots = new ConcurrentLinkedQueue<>();
    /** Appointments whose answered state was not found after a restart, with what was found. */
    private final Map<String, String> lost = new ConcurrentHashMap<>();

    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final Random random = new Random(20261207);
    private Application application;

    @Test
    void everyAnsweredBookingSurvivesTheApplicationAndItsDatabaseKilledMidLoad() throws Exception {
        startFromNothing();
        try {
            application = Application.start();
            assertThat(application.answeredBeforeReady)
                    .as("on a first start, the public port answers before the node is ready (demo data being written)")
                    .isTrue();
            List<String> patients = registerPatients();
            collectFreeSlots();
            for (int kill = 1; kill <= KILLS; kill++) {
                InFlight[] cutShort = loadThenKillEverything(patients);
                application = Application.start();
                checkEveryAnswerIsKept(patients, cutShort);
            }
            System.out.printf(
                    "Crash test: %d of %d answered states kept over %d kills (%d cut-short requests found whole)%n",
                    acknowledged.size() - lost.size(), acknowledged.size(), KILLS, cutShortButWhole.size());

            assertThat(unexpected).as("answers other than 201, 200 or 409").isEmpty();
            assertThat(acknowledged.size()).as("answered states").isGreaterThan(50);
            assertThat(lost).as("answered states lost or changed").isEmpty();

            long postgres = RunningServer.in(DATA).orElseThrow().pid();
            application.stop();
            // PostgreSQL removes its pid file, which is what the stop waits for, just before it exits.
            ProcessHandle.of(postgres)
                    .ifPresent(h -> h.onExit()
                            .completeOnTimeout(h, 60, TimeUnit.SECONDS)
                            .join());
            assertThat(ProcessHandle.of(postgres).filter(ProcessHandle::isAlive))
                    .as("the application stops its database when it stops")
                    .isEmpty();
            assertThat(journalVerify()).contains("Journal intact");
            assertThat(Files.readString(LOG))
                    .contains("Embedded PostgreSQL is durable: fsync=on, synchronous_commit=on, full_page_writes=on")
                    .doesNotContain("NOT durable");
        } finally {
            if (application != null) {
                application.killEverything();
            }
        }
    }

    private void startFromNothing() throws IOException {
        RunningServer.in(DATA).ifPresent(left -> left.stop(Duration.ofSeconds(60)));
        FileSystemUtils.deleteRecursively(ROOT);
        Files.createDirectories(ROOT);
    }

    private List<String> registerPatients() {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            String email = "crash-" + i + "@test.creneau.fr";
            new ApiClient(application.port).registerAndLogin(email);
            emails.add(email);
        }
        return emails;
    }

    /** Free slots of the demo's general practitioners, 3 to 10 days ahead (well before any cut-off). */
    private void collectFreeSlots() {
        ApiClient anyone = new ApiClient(application.port);
        Instant from = Instant.now().plus(Duration.ofDays(3));
        Instant to = from.plus(Duration.ofDays(7));
        for (String city : List.of("Paris", "Lyon", "Marseille", "Bordeaux")) {
            Response found = anyone.get("/api/v1/search?specialty=medecin-generaliste&city=" + city + "&size=20");
            for (JsonNode hit : found.body().path("items")) {
                String practitioner = hit.path("practitionerId").asString();
                JsonNode profile =
                        anyone.get("/api/v1/practitioners/" + practitioner).body();
                Optional<JsonNode> motive = profile.path("motives")
                        .valueStream()
                        .filter(m -> m.path("onlineBookable").asBoolean()
                                && m.path("newPatientsAllowed").asBoolean())
                        .findFirst();
                if (motive.isEmpty()) {
                    continue;
                }
                String motiveId = motive.get().path("id").asString();
                Response slots = anyone.get("/api/v1/practitioners/" + practitioner + "/slots?motiveId=" + motiveId
                        + "&from=" + from + "&to=" + to);
                for (JsonNode slot : slots.body().path("slots")) {
                    freeSlots.add(new Slot(
                            practitioner,
                            slot.path("siteId").asString(),
                            motiveId,
                            slot.path("start").asString()));
                }
            }
        }
        assertThat(freeSlots).as("free slots in the demo data").hasSizeGreaterThan(200);
    }

    /**
     * Each patient holds, confirms and cancels half of what it booked, on its own thread, until
     * everything is killed a few seconds in; returns what each patient had sent without an answer.
     */
    private InFlight[] loadThenKillEverything(List<String> patients) throws Exception {
        InFlight[] cutShort = new InFlight[patients.size()];
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger answers = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < patients.size(); p++) {
            int patient = p;
            ApiClient client = new ApiClient(application.port);
            client.login(patients.get(patient), Fixtures.PASSWORD);
            Thread thread = new Thread(() -> book(client, patient, cutShort, killed, answers), "crash-load-" + p);
            thread.start();
            threads.add(thread);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answers.get() < 40 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1000 + random.nextInt(2000));
        // Right after an answer: a commit acknowledged without reaching the disk would be lost now.
        int answered = answers.get();
        while (answers.get() == answered && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        killed.set(true);
        application.killEverything();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        return cutShort;
    }

    private void book(ApiClient client, int patient, InFlight[] cutShort, AtomicBoolean killed, AtomicInteger answers) {
        Random own = new Random(patient * 31L + acknowledged.size());
        try {
            while (!killed.get()) {
                Slot slot = freeSlots.poll();
                if (slot == null) {
                    return;
                }
                cutShort[patient] = new InFlight(null, "HELD", slot);
                Response held = client.post("/api/v1/appointments", slot.body());
                if (held.status() != 201) {
                    expect(held, 409, "hold");
                    continue;
                }
                String id = held.text("id");
                patientOf.put(id, patient);
                acknowledged.put(id, new Acknowledged("HELD", Instant.parse(held.text("expiresAt"))));
                answers.incrementAndGet();

                cutShort[patient] = new InFlight(id, "BOOKED", slot);
                Response confirmed = client.post("/api/v1/appointments/" + id + "/confirm", null);
                if (!expect(confirmed, 200, "confirm")) {
                    continue;
                }
                acknowledged.put(id, new Acknowledged(confirmed.text("status"), null));
                answers.incrementAndGet();

                if (own.nextBoolean()) {
                    cutShort[patient] = new InFlight(id, "CANCELLED", slot);
                    Response cancelled =
                            client.post("/api/v1/appointments/" + id + "/cancel", Map.of("reason", "Empêchement"));
                    if (!expect(cancelled, 200, "cancel")) {
                        continue;
                    }
                    acknowledged.put(id, new Acknowledged(cancelled.text("status"), null));
                    answers.incrementAndGet();
                    freeSlots.add(slot);
                }
                cutShort[patient] = null;
            }
        } catch (IllegalStateException connectionLost) {
            if (!killed.get()) {
                unexpected.add("patient " + patient + ": " + connectionLost);
            }
        }
    }

    private boolean expect(Response response, int status, String what) {
        if (response.status() != status) {
            unexpected.add(what + " answered " + response.status() + " " + response.body());
            return false;
        }
        return true;
    }

    /**
     * Reads back, as each patient, every appointment it ever got an answer for, and lists its
     * appointments to find any it never got an answer for. What does not match goes to {@link #lost}.
     */
    private void checkEveryAnswerIsKept(List<String> patients, InFlight[] cutShort) {
        for (int p = 0; p < patients.size(); p++) {
            ApiClient client = new ApiClient(application.port);
            client.login(patients.get(p), Fixtures.PASSWORD);
            InFlight pending = cutShort[p];
            int patient = p;
            List<String> answered = acknowledged.keySet().stream()
                    .filter(id -> patientOf.get(id) == patient && !lost.containsKey(id))
                    .toList();
            for (String id : answered) {
                Acknowledged expected = acknowledged.get(id);
                Response read = client.get("/api/v1/appointments/" + id);
                String actual = read.status() == 200 ? read.text("status") : "answered " + read.status();
                boolean cutShortThenWritten =
                        pending != null && id.equals(pending.appointmentId()) && actual.equals(pending.status());
                boolean expiredSince = actual.equals("EXPIRED")
                        && expected.expiresAt() != null
                        && Instant.now().isAfter(expected.expiresAt());
                if (cutShortThenWritten || expiredSince) {
                    // A later state, legitimately: the next check starts from it.
                    acknowledged.put(id, new Acknowledged(actual, null));
                } else if (!actual.equals(expected.status())) {
                    lost.put(id, "answered " + expected.status() + ", now " + actual);
                }
            }
            Set<String> unanswered = new HashSet<>(listAppointments(client));
            unanswered.removeAll(acknowledged.keySet());
            unanswered.removeAll(cutShortButWhole);
            if (pending != null && pending.appointmentId() == null && unanswered.size() == 1) {
                // The hold was written but its answer never left: it must be whole, on the slot asked for.
                String id = unanswered.iterator().next();
                JsonNode whole = client.get("/api/v1/appointments/" + id).body();
                assertThat(whole.path("status").asString()).isEqualTo("HELD");
                assertThat(Instant.parse(whole.path("start").asString()))
                        .isEqualTo(Instant.parse(pending.slot().start()));
                cutShortButWhole.add(id);
                unanswered.clear();
            }
            assertThat(unanswered)
                    .as("appointments of patient %d that no answer announced", p)
                    .isEmpty();
        }
    }

    private List<String> listAppointments(ApiClient client) {
        List<String> ids = new ArrayList<>();
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = from.plus(Duration.ofDays(30));
        for (int page = 0; ; page++) {
            Response found = client.get("/api/v1/me/appointments?from=" + from + "&to=" + to + "&size="
                    + Paging.MAX_SIZE + "&page=" + page);
            assertThat(found.status()).isEqualTo(200);
            List<String> items = found.body()
                    .path("items")
                    .valueStream()
                    .map(a -> a.path("id").asString())
                    .toList();
            ids.addAll(items);
            if (items.size() < Paging.MAX_SIZE) {
                return ids;
            }
        }
    }

    /** {@code java -jar creneau.jar journal verify}, as a separate process on the same directory. */
    private static String journalVerify() throws Exception {
        Path output = ROOT.resolve("journal-verify.log");
        List<String> command = new ArrayList<>(Application.java());
        command.addAll(List.of("journal", "verify"));
        command.addAll(Application.directories());
        Process verify = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertThat(verify.waitFor(180, TimeUnit.SECONDS))
                    .as("journal verify ended")
                    .isTrue();
        } finally {
            verify.destroyForcibly();
        }
        String printed = Files.readString(output);
        assertThat(verify.exitValue()).as(printed).isZero();
        return printed;
    }

    /** The application as a separate JVM, on the test's directory and a port of its own. */
    static final class Application {

        final Process process;
        final int port;
        /** The public port answered while readiness was still refusing traffic. */
        boolean answeredBeforeReady;

        private Application(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /** The JVM and main class; a command's words come next, then the options. */
        static List<String> java() {
            return List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m",
                    // Quicker starts on a busy machine; the load here needs no optimizing compiler.
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CreneauApplication.class.getName());
        }

        /** Where the test's application keeps its database and journal. */
        static List<String> directories() {
            return List.of(
                    "--creneau.database.embedded.data-dir=" + DATA,
                    "--creneau.journal.checkpoint-directory=" + ROOT.resolve("journal/checkpoints"),
                    "--creneau.journal.key-directory=" + ROOT.resolve("journal/keys"));
        }

        static Application start() throws Exception {
            int port = freePort();
            int managementPort = freePort();
            List<String> command = new ArrayList<>(java());
            command.addAll(directories());
            command.addAll(List.of(
                    "--server.port=" + port,
                    "--management.server.port=" + managementPort,
                    "--creneau.demo.enabled=true",
                    // As shipped, whatever the environment says.
                    "--creneau.database.embedded.durable=true",
                    // Checkpoints are signed while the load runs, so a kill may land in the middle of one.
                    "--creneau.journal.checkpoint-interval=PT5S",
                    "--creneau.guard.unlimited-addresses=127.0.0.1,0:0:0:0:0:0:0:1",
                    "--creneau.guard.requests-per-minute-per-account=1000000",
                    "--creneau.booking.min-days-between-same-specialty=0",
                    "--creneau.booking.max-open-per-patient=100000",
                    // Patients book without opening their verification mail.
                    "--creneau.account-links.unverified-open-appointments=100000"));
            long logOffset = Files.exists(LOG) ? Files.size(LOG) : 0;
            Files.writeString(
                    LOG, "==== start at " + Instant.now() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                    .start();
            Application application = new Application(process, port);
            application.awaitReady(managementPort, logOffset);
            return application;
        }

        private static int freePort() throws IOException {
            try (ServerSocket free = new ServerSocket(0)) {
                return free.getLocalPort();
            }
        }

        /**
         * Waits until the management port says the node is ready, which must not come before the
         * start-up passes are done (their last words are the banner): the web server already answers
         * while the demo data is being written, and a load balancer must not send traffic then.
         */
        private void awaitReady(int managementPort, long logOffset) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("the application stopped at start: see " + LOG);
                }
                int readiness = status(http, managementPort, "/actuator/health/readiness");
                if (readiness == 200) {
                    byte[] log = Files.readAllBytes(LOG);
                    String sinceStart =
                            new String(log, (int) logOffset, log.length - (int) logOffset, StandardCharsets.UTF_8);
                    assertThat(sinceStart)
                            .as("readiness before the start-up passes were done")
                            .contains("Créneau is running at");
                    return;
                }
                if (readiness == 503 && status(http, port, "/api/v1/specialties") == 200) {
                    answeredBeforeReady = true;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the application was not ready within 240 s: see " + LOG);
        }

        private static int status(HttpClient http, int port, String path) throws InterruptedException {
            try {
                return http.send(
                                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException notYetListening) {
                return -1;
            }
        }

        /** {@code kill -9} of the application, its PostgreSQL server and every process of that server. */
        void killEverything() {
            List<ProcessHandle> victims = new ArrayList<>();
            RunningServer.in(DATA)
                    .flatMap(server -> ProcessHandle.of(server.pid()))
                    .ifPresent(postmaster -> {
                        victims.add(postmaster);
                        postmaster.descendants().forEach(victims::add);
                    });
            victims.add(process.toHandle());
            process.descendants().forEach(victims::add);
            victims.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle victim : victims) {
                victim.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            }
        }

        /** A graceful stop (SIGTERM), as an operator or a service manager would. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
