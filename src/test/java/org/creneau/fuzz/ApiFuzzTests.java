package org.creneau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.creneau.apps.SmartScope;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes every operation of the OpenAPI document as each kind of actor, and a connected app's FHIR
 * searches, reads and writes, with malformed, boundary and hostile values. Any 5xx, stack trace or
 * internal name in a body, error under /api that is not problem+json, FHIR error that is not an
 * OperationOutcome, or ERROR logged fails the test, naming the request to replay.
 *
 * <p>Deterministic by seed: {@code -Dcreneau.fuzz.seed=...} replays a run, {@code
 * -Dcreneau.fuzz.requests=...} sets how many requests (docs/api.md, "Testing").
 */
@IntegrationTest
class ApiFuzzTests {

    static final long DEFAULT_SEED = 20261207L;
    static final int DEFAULT_REQUESTS = 5_000;
    /**
     * Requests by one account (or client address) before the clock moves on by a minute: rate-limit
     * buckets refill by the application's clock (600 a minute by default), which the tests hold still.
     */
    static final int REQUESTS_PER_MINUTE = 450;
    /** The same for the app (1,200 a minute by default). */
    static final int APP_REQUESTS_PER_MINUTE = 900;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Map<String, Integer> statuses = new TreeMap<>();
    private int sent;
    private long setupNanos;

    @BeforeEach
    @AfterEach
    void resetClock() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void everyOperationAnswersHostileInputWithAClean4xxOrSuccess() throws Exception {
        long seed = Long.getLong("creneau.fuzz.seed", DEFAULT_SEED);
        int requests = Integer.getInteger("creneau.fuzz.requests", DEFAULT_REQUESTS);
        System.out.println("API fuzz: seed " + seed + ", " + requests + " requests" + " (replay: -Dcreneau.fuzz.seed="
                + seed + " -Dcreneau.fuzz.requests=" + requests + ")");
        long started = System.nanoTime();

        OpenApiOperations api =
                OpenApiOperations.from(new ApiClient(port).get("/v3/api-docs").body());
        assertThat(api.operations()).hasSizeGreaterThan(40);
        ApiRequests generator = new ApiRequests(new JsonBodies(api));
        FuzzActors actors = new FuzzActors(port, clock, fixtures);
        Verdicts verdicts = new Verdicts(seed);

        int fhirBudget = requests * 15 / 100;
        int perActor = (requests - fhirBudget + FuzzActors.NAMES.size() - 1) / FuzzActors.NAMES.size();
        int perOperation = Math.max(
                1, (perActor + api.operations().size() - 1) / api.operations().size());
        int worlds = 0;
        int signIns = 0;
        try (LoggedErrors logged = new LoggedErrors()) {
            for (int a = 0; a < FuzzActors.NAMES.size(); a++) {
                long streamStarted = System.nanoTime();
                int sentBefore = sent;
                String name = FuzzActors.NAMES.get(a);
                Random random = new Random(seed * 31 + name.hashCode());
                FuzzActors.Signed signed = create(actors, name);
                worlds++;
                int used = 0;
                int index = 0;
                for (OpenApiOperations.Operation operation : api.operations()) {
                    for (int k = 0; k < perOperation; k++) {
                        if (used >= REQUESTS_PER_MINUTE) {
                            clock.advance(Duration.ofMinutes(1));
                            used = 0;
                        }
                        logged.drain();
                        String address = "198.18." + a + "." + (1 + (index / 100) % 250);
                        FuzzRequest request = generator.next(name, index++, random, operation, signed.actor(address));
                        exchange(request, verdicts, logged);
                        used++;
                    }
                    if (!signed.stillSignedIn()) {
                        long again = System.nanoTime();
                        signed = actors.signInAgain(signed);
                        setupNanos += System.nanoTime() - again;
                        signIns++;
                    }
                }
                System.out.println("API fuzz: " + (sent - sentBefore) + " requests as " + name + " in "
                        + Duration.ofNanos(System.nanoTime() - streamStarted).toMillis() + " ms");
            }
            long fhirStarted = System.nanoTime();
            int containments = fuzzFhir(seed, fhirBudget, verdicts, logged);
            System.out.println("API fuzz: " + fhirBudget + " FHIR requests in "
                    + Duration.ofNanos(System.nanoTime() - fhirStarted).toMillis() + " ms");
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            System.out.println("API fuzz: " + sent + " requests in " + seconds + " s, answers " + statuses + ", "
                    + worlds + " actors set up and " + signIns + " signed in again ("
                    + Duration.ofNanos(setupNanos).toSeconds() + " s), " + containments
                    + " app containments resumed");
        }

        assertThat(sent).as("requests sent").isGreaterThanOrEqualTo(requests);
        assertThat(statuses.getOrDefault("429", 0))
                .as("answers 429: most requests must reach the handlers")
                .isLessThan(sent / 20);
        assertThat(verdicts.clean()).as(verdicts.report()).isTrue();
    }

    /** The FHIR part: one app granted every scope on a practice with an appointment; resumed when contained. */
    private int fuzzFhir(long seed, int budget, Verdicts verdicts, LoggedErrors logged) throws Exception {
        Random random = new Random(seed * 31 + "fhir".hashCode());
        int containments = 0;
        FhirApp app = null;
        int used = 0;
        for (int i = 0; i < budget; i++) {
            if (app == null) {
                app = fhirApp();
            } else if (used >= APP_REQUESTS_PER_MINUTE) {
                clock.advance(Duration.ofMinutes(1));
                used = 0;
            }
            logged.drain();
            FuzzRequest request = FhirRequests.next("fhir", i, random, app.known(), app.token);
            Answer answer = exchange(request, verdicts, logged);
            used++;
            if (answer.status() == 401 && request.actor().equals("app")) {
                // The guard contained the app (enumeration, sweep): its admin looks and resumes it.
                app.granted()
                        .orgAdmin()
                        .post(
                                "/api/v1/staff/connected-app-grants/"
                                        + app.granted().grantId() + "/resume",
                                null);
                app.token = app.granted().token();
                containments++;
            }
        }
        return containments;
    }

    private static final class FhirApp {
        private final GrantedApp granted;
        private final FhirRequests.Known known;
        private String token;

        FhirApp(GrantedApp granted, FhirRequests.Known known, String token) {
            this.granted = granted;
            this.known = known;
            this.token = token;
        }

        GrantedApp granted() {
            return granted;
        }

        FhirRequests.Known known() {
            return known;
        }
    }

    private FhirApp fhirApp() throws Exception {
        Practice practice = fixtures.practice(FuzzActors.SPECIALTY);
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fuzz-fhir-" + java.util.UUID.randomUUID() + "@test.creneau.fr");
        String appointment = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", "2027-01-05T08:00:00Z"))
                .text("id");
        patient.post("/api/v1/appointments/" + appointment + "/confirm", null);
        GrantedApp granted = GrantedApp.on(port, clock, fixtures, practice, SmartScope.ALL);
        String token = granted.token();
        HttpResponse<String> found = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                + "/fhir/Appointment?date=ge2027-01-04T00:00:00Z&date=lt2027-01-11T00:00:00Z"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String patientId = JSON.readTree(found.body()).findValuesAsString("reference").stream()
                .filter(r -> r.startsWith("Patient/"))
                .map(r -> r.substring("Patient/".length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no patient in " + found.body()));
        return new FhirApp(
                granted,
                new FhirRequests.Known(
                        practice.practitionerId().toString(),
                        practice.siteId().toString(),
                        practice.organizationId().toString(),
                        practice.motiveId().toString(),
                        appointment,
                        patientId),
                token);
    }

    private FuzzActors.Signed create(FuzzActors actors, String name) {
        long started = System.nanoTime();
        FuzzActors.Signed signed = actors.create(name);
        setupNanos += System.nanoTime() - started;
        return signed;
    }

    record Answer(int status, String contentType, String body) {}

    private Answer exchange(FuzzRequest request, Verdicts verdicts, LoggedErrors logged) {
        Answer answer = send(request);
        sent++;
        statuses.merge(Integer.toString(answer.status()), 1, Integer::sum);
        List<Verdicts.Finding> kinds =
                Verdicts.judge(request, answer.status(), answer.contentType(), answer.body(), logged.drain());
        verdicts.record(request, answer.status(), answer.contentType(), answer.body(), kinds);
        return answer;
    }

    private Answer send(FuzzRequest request) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.target()))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            request.method(),
                            request.body() == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(builder::header);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the generator wrote a request no client can send: " + request.describe(), e);
        }
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(-1, "", "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
