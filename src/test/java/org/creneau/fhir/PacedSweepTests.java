package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.icegreen.greenmail.util.GreenMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The sweep of issue #14, replayed on the simulated clock: an app that read docs/security.md paces
 * itself just under every signal that contains (new patients per 10 minutes, searches, windows, the
 * distant past, the share of the file) and waits out every 429. Reaching a quota now alerts the
 * practice and the platform at once, per grant and per app across its grants; an app that keeps
 * meeting 429s is contained. A first full sync the practice approved by raising its limits is not.
 */
@IntegrationTest
class PacedSweepTests {

    static final String SECURITY_CONTACT = "securite@creneau.example";
    /** Monday 4 January 2027, 09:00 in Paris. */
    static final Instant START = Instant.parse("2027-01-04T08:00:00Z");

    static final int PAGE = 33;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    GreenMail smtp;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @BeforeEach
    void setUp() {
        clock.set(START);
    }

    @Test
    void anAppPacedJustUnderEverySignalAndWaitingOutIts429sIsAlertedWithinFifteenMinutesBefore200Patients() {
        Practice practice = fixtures.practice("medecin-generaliste");
        seed(practice, 1_500, 20, 60);
        GrantedApp app =
                GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs", "system/Patient.r"));

        Sweeper sweeper = new Sweeper(app, 99);
        sweeper.runUntil(START.plus(Duration.ofMinutes(15)), () -> !alerts(app).isEmpty());

        List<JsonNode> alerts = alerts(app);
        assertThat(alerts).as("alerted within its first 15 minutes").hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.get("signal").asString()).as(alert.toString()).isEqualTo("QUOTA");
        assertThat(alert.get("contained").asBoolean()).isFalse();
        assertThat(Instant.parse(alert.get("raisedAt").asString())).isBefore(START.plus(Duration.ofMinutes(15)));
        System.out.println("Paced sweep, one practice: alerted at "
                + alert.get("raisedAt").asString() + " after " + sweeper.patients.size() + " distinct patients");
        assertThat(sweeper.patients).as("distinct patients read by then").hasSizeBetween(1, 199);
        assertThat(sweeper.throttled).isEqualTo(1);
        assertThat(sweeper.retryAfter.seconds())
                .as("until the first patients of the hour age out")
                .isGreaterThan(600);
        // Told at once, not suspended: the practice decides.
        assertThat(app.status()).isEqualTo("ACTIVE");
        assertThat(recipientsOfMailMentioning(alert.get("id").asString()))
                .contains(practice.adminEmail(), SECURITY_CONTACT);

        // Going on, waiting out every 429: the app that keeps meeting its quota is contained.
        sweeper.runUntil(START.plus(Duration.ofHours(6)), () -> sweeper.contained);
        assertThat(sweeper.contained).isTrue();
        assertThat(app.status()).isEqualTo("SUSPENDED");
        assertThat(alerts(app).get(0).get("signal").asString()).isEqualTo("QUOTA");
        assertThat(alerts(app).get(0).get("contained").asBoolean()).isTrue();
        System.out.println("Paced sweep, one practice: contained at " + clock.instant() + " after "
                + sweeper.patients.size() + " distinct patients and " + sweeper.throttled + " 429s");
        assertThat(sweeper.patients).as("never more than a day's quota").hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void theSameAppWithGrantsInTenPracticesIsJudgedPerAppAndAlertedBefore200Patients() {
        List<Practice> practices = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Practice practice = fixtures.practice("medecin-generaliste");
            seed(practice, 150, 5, 40);
            practices.add(practice);
        }
        List<String> scopes = List.of("system/Appointment.rs", "system/Patient.r");
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practices.get(0), scopes);
        for (Practice other : practices.subList(1, 10)) {
            assertThat(SignIn.staff(port, other.adminEmail())
                            .post(
                                    "/api/v1/staff/connected-app-grants",
                                    Map.of("clientId", app.clientId, "scopes", scopes, "contactDetails", false))
                            .status())
                    .isEqualTo(201);
        }

        // Under every per-grant threshold by far (a tenth of it in each practice), and under the app's
        // own signals: 149 new patients per 10 minutes across its grants.
        Sweeper sweeper = new Sweeper(app, 149);
        sweeper.runUntil(
                START.plus(Duration.ofMinutes(15)), () -> !platformAlerts(app).isEmpty());

        List<JsonNode> alerts = platformAlerts(app);
        assertThat(alerts).as("alerted within its first 15 minutes").isNotEmpty();
        assertThat(alerts.get(0).get("signal").asString()).isEqualTo("APP_QUOTA");
        System.out.println("Paced sweep, ten practices: alerted at "
                + alerts.get(0).get("raisedAt").asString() + " after " + sweeper.patients.size()
                + " distinct patients");
        assertThat(sweeper.patients)
                .as("distinct patients over the ten practices")
                .hasSizeBetween(1, 199);
        long practicesRead =
                sweeper.patients.stream().map(this::organizationOf).distinct().count();
        assertThat(practicesRead).as("read in every practice").isEqualTo(10);
    }

    @Test
    void aFirstFullSyncThePracticeApprovedByRaisingItsGrantsLimitsIsNeverAlerted() {
        Practice practice = fixtures.practice("medecin-generaliste");
        seed(practice, 400, 4, 100);
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        Map<String, Object> approved = new HashMap<>();
        approved.put("newPatientsPer10Minutes", 1_000);
        approved.put("patientsPerHour", 1_000);
        approved.put("patientsPerDay", 1_000);
        approved.put("appointmentsPerHour", 2_000);
        approved.put("appointmentsPerDay", 2_000);
        approved.put("searchesPer10Minutes", 100);
        approved.put("searchWindowsPerHour", 20);
        approved.put("distantPastPerDay", 2_000);
        approved.put("patientSharePercent", 100);
        assertThat(app.orgAdmin()
                        .put("/api/v1/staff/connected-app-grants/" + app.grantId + "/limits", approved)
                        .status())
                .isEqualTo(200);

        // Everything from 100 days back to 100 days ahead, 31 days at a time, as fast as it comes.
        Set<String> patients = new LinkedHashSet<>();
        int appointments = 0;
        IGenericClient fhir = app.fhir();
        for (Instant from = START.minus(Duration.ofDays(101)); from.isBefore(START.plus(Duration.ofDays(101))); ) {
            Instant to = from.plus(Duration.ofDays(31));
            Bundle page = fhir.search()
                    .forResource(Appointment.class)
                    .where(Appointment.DATE.afterOrEquals().second(from.toString()))
                    .and(Appointment.DATE.before().second(to.toString()))
                    .count(50)
                    .returnBundle(Bundle.class)
                    .execute();
            while (true) {
                clock.advance(Duration.ofSeconds(1));
                appointments += page.getEntry().size();
                page.getEntry().forEach(e -> patients.add(patientOf((Appointment) e.getResource())));
                if (page.getLink(Bundle.LINK_NEXT) == null) {
                    break;
                }
                page = fhir.loadPage().next(page).execute();
            }
            from = to;
        }

        assertThat(appointments).isEqualTo(800);
        assertThat(patients).hasSize(400);
        assertThat(app.status()).isEqualTo("ACTIVE");
        assertThat(alerts(app)).isEmpty();
    }

    @Test
    void aGrantsLimitsAboveThePlatformsCeilingAreRefusedWith422NamingTheField() {
        Practice practice = fixtures.practice("medecin-generaliste");
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        ApiClient.Response refused = app.orgAdmin()
                .put(
                        "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                        Map.of("patientsPerHour", 1_000, "searchesPer10Minutes", 100_000));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("searchesPer10Minutes");
        // Nothing of a refused change is kept.
        assertThat(grant(app).get("limits").path("patientsPerHour").isNumber()).isFalse();
    }

    @Test
    void everyChangeOfAGrantsLimitsIsJournaledAndEmailedToTheSecurityContact() {
        Practice practice = fixtures.practice("medecin-generaliste");
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        assertThat(app.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("patientsPerDay", 5_000, "requestsPerMinute", 900))
                        .status())
                .isEqualTo(200);
        assertThat(grant(app).get("limits").get("requestsPerMinute").asInt()).isEqualTo(900);

        List<String> journaled = JdbcClient.create(owner)
                .sql("""
                        SELECT route || ' ' || purpose || ' ' || outcome || ' ' || array_to_string(fields, ',')
                          FROM journal_entry
                         WHERE resource_type = 'AppGrant' AND resource_ids @> ARRAY[CAST(:grant AS uuid)]
                        """)
                .param("grant", app.grantId)
                .query(String.class)
                .list();
        assertThat(journaled)
                .containsExactly("PUT /api/v1/staff/connected-app-grants/{grantId}/limits change-grant-limits UPDATED"
                        + " patientsPerDay,requestsPerMinute");
        String mail = awaitMail(SECURITY_CONTACT, app.grantId);
        assertThat(mail).contains("patientsPerDay", "5000", "requestsPerMinute", "900", "default");
    }

    @Test
    void aGrantsOwnRateLimitRefusesWith429AndAlertsWithoutSuspending() {
        Practice practice = fixtures.practice("medecin-generaliste");
        seed(practice, 10, 2, 5);
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        assertThat(app.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("requestsPerMinute", 5))
                        .status())
                .isEqualTo(200);
        IGenericClient fhir = app.fhir();
        RetryAfter retryAfter = new RetryAfter();
        fhir.registerInterceptor(retryAfter);
        for (int i = 0; i < 5; i++) {
            search(fhir, START, START.plus(Duration.ofDays(1)), 50);
        }
        BaseServerResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(
                BaseServerResponseException.class, () -> search(fhir, START, START.plus(Duration.ofDays(1)), 50));
        assertThat(refused.getStatusCode()).isEqualTo(429);
        assertThat(retryAfter.seconds()).isBetween(1L, 60L);
        assertThat(app.status()).isEqualTo("ACTIVE");
        JsonNode alert = alerts(app).get(0);
        assertThat(alert.get("signal").asString()).isEqualTo("QUOTA");
        assertThat(alert.get("contained").asBoolean()).isFalse();
        assertThat(alert.get("detail").asString()).contains("requests per minute");
    }

    @Test
    void manyAppointmentsOfTheDistantPastShownInADayContainTheApp() {
        Practice practice = fixtures.practice("medecin-generaliste");
        seed(practice, 20, 10, 200);
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        IGenericClient fhir = app.fhir();
        Instant from = START.minus(Duration.ofDays(200));
        Bundle first = search(fhir, from, from.plus(Duration.ofDays(31)), 50);
        assertThat(first.getEntry()).hasSize(50);
        assertThat(app.status()).isEqualTo("ACTIVE");

        BaseServerResponseException stopped = org.junit.jupiter.api.Assertions.assertThrows(
                BaseServerResponseException.class,
                () -> fhir.loadPage().next(first).execute());
        assertThat(stopped.getStatusCode()).isEqualTo(401);
        assertThat(app.status()).isEqualTo("SUSPENDED");
        assertThat(alerts(app).get(0).get("signal").asString()).isEqualTo("DISTANT_PAST");
    }

    @Test
    void readingAFifthOfThePracticesFileInADayContainsTheApp() {
        Practice practice = fixtures.practice("medecin-generaliste");
        seed(practice, 200, 20, 10);
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        IGenericClient fhir = app.fhir();
        Bundle first = search(fhir, START.minus(Duration.ofDays(10)), START, 35);
        assertThat(first.getEntry()).hasSize(35);

        BaseServerResponseException stopped = org.junit.jupiter.api.Assertions.assertThrows(
                BaseServerResponseException.class,
                () -> fhir.loadPage().next(first).execute());
        assertThat(stopped.getStatusCode()).isEqualTo(401);
        assertThat(alerts(app).get(0).get("signal").asString()).isEqualTo("PATIENT_SHARE");
    }

    @Test
    void aSweepTrippedByManyConcurrentRequestsRaisesOneAlertAndOneFreeze() throws Exception {
        Practice practice = fixtures.practice("medecin-generaliste");
        seed(practice, 40, 2, 30);
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        IGenericClient fhir = app.fhir();
        for (int day = 0; day < 7; day++) {
            Instant from = START.plus(Duration.ofDays(day));
            search(fhir, from, from.plus(Duration.ofDays(1)), 50);
        }
        String token = app.token();
        int threads = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<Integer> statuses = new ArrayList<>();
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Instant from = START.minus(Duration.ofDays(i + 1));
                IGenericClient client = org.creneau.support.FhirTestClient.withToken(port, token);
                answers.add(pool.submit(() -> {
                    start.await();
                    try {
                        search(client, from, from.plus(Duration.ofDays(1)), 50);
                        return 200;
                    } catch (BaseServerResponseException e) {
                        return e.getStatusCode();
                    }
                }));
            }
            start.countDown();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).containsOnly(401);
        JdbcClient db = JdbcClient.create(owner);
        assertThat(db.sql("SELECT count(*) FROM guard_alert WHERE grant_id = CAST(:grant AS uuid)")
                        .param("grant", app.grantId)
                        .query(Long.class)
                        .single())
                .as("one alert")
                .isEqualTo(1);
        assertThat(db.sql("""
                                SELECT count(*) FROM journal_freeze
                                 WHERE actor_id = (SELECT id FROM connected_app WHERE client_id = :client)
                                """).param("client", app.clientId).query(Long.class).single())
                .as("one freeze")
                .isEqualTo(1);
        assertThat(alerts(app).get(0).get("signal").asString()).isEqualTo("SWEEP");
        assertThat(app.status()).isEqualTo("SUSPENDED");
    }

    private static Bundle search(IGenericClient fhir, Instant from, Instant to, int count) {
        return fhir.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second(from.toString()))
                .and(Appointment.DATE.before().second(to.toString()))
                .count(count)
                .returnBundle(Bundle.class)
                .execute();
    }

    /**
     * An app that reads at its pace, within the limits docs/security.md names: before each request it
     * waits until its new patients of the last 10 minutes leave room for a page, its searches of the
     * last 10 minutes and windows of the last hour are under the signals, and after a 429 it waits
     * {@code Retry-After}. Each request takes one simulated second.
     */
    final class Sweeper {

        final GrantedApp app;
        final int newPatientsPer10Minutes;
        final Set<String> patients = new LinkedHashSet<>();
        final Deque<Instant> newPatients = new ArrayDeque<>();
        final Deque<Instant> searches = new ArrayDeque<>();
        int throttled;
        boolean contained;
        private final RetryAfter retryAfter = new RetryAfter();
        private IGenericClient fhir;
        private Instant tokenAt;
        private Bundle page;
        private Instant windowFrom = START.minus(Duration.ofDays(30));

        Sweeper(GrantedApp app, int newPatientsPer10Minutes) {
            this.app = app;
            this.newPatientsPer10Minutes = newPatientsPer10Minutes;
        }

        void runUntil(Instant deadline, java.util.function.BooleanSupplier stop) {
            while (!contained && clock.instant().isBefore(deadline) && !stop.getAsBoolean()) {
                forget(newPatients, Duration.ofMinutes(10));
                forget(searches, Duration.ofMinutes(10));
                if (newPatients.size() + PAGE > newPatientsPer10Minutes || searches.size() + 1 >= 40) {
                    clock.set(later(newPatients.isEmpty() ? null : newPatients.peekFirst(), searches.peekFirst()));
                    continue;
                }
                try {
                    Bundle found = nextPage();
                    searches.addLast(clock.instant());
                    for (Bundle.BundleEntryComponent entry : found.getEntry()) {
                        String patient = patientOf((Appointment) entry.getResource());
                        if (patients.add(patient)) {
                            newPatients.addLast(clock.instant());
                            client().read()
                                    .resource(Patient.class)
                                    .withId(patient)
                                    .execute();
                            clock.advance(Duration.ofSeconds(1));
                        }
                    }
                    page = found;
                } catch (BaseServerResponseException e) {
                    if (e.getStatusCode() == 401) {
                        contained = true;
                    } else if (e.getStatusCode() == 429) {
                        throttled++;
                        clock.advance(Duration.ofSeconds(retryAfter.seconds()));
                    } else {
                        throw e;
                    }
                }
                clock.advance(Duration.ofSeconds(1));
            }
        }

        /** The next page of the current window, or the first page of the next month ahead. */
        private Bundle nextPage() {
            if (page != null && page.getLink(Bundle.LINK_NEXT) != null) {
                return client().loadPage().next(page).execute();
            }
            if (page != null) {
                windowFrom = windowFrom.plus(Duration.ofDays(31));
            }
            return client().search()
                    .forResource(Appointment.class)
                    .where(Appointment.DATE.afterOrEquals().second(windowFrom.toString()))
                    .and(Appointment.DATE
                            .before()
                            .second(windowFrom.plus(Duration.ofDays(31)).toString()))
                    .count(PAGE)
                    .returnBundle(Bundle.class)
                    .execute();
        }

        /** A fresh token when the last one is four minutes old (tokens live five, on the platform's clock). */
        private IGenericClient client() {
            if (fhir == null || Duration.between(tokenAt, clock.instant()).toMinutes() >= 4) {
                fhir = app.fhir();
                fhir.registerInterceptor(retryAfter);
                tokenAt = clock.instant();
            }
            return fhir;
        }

        private void forget(Deque<Instant> times, Duration window) {
            while (!times.isEmpty()
                    && !times.peekFirst().isAfter(clock.instant().minus(window))) {
                times.removeFirst();
            }
        }

        /** When the oldest of what holds it back leaves its 10 minutes. */
        private Instant later(Instant oldestNewPatient, Instant oldestSearch) {
            Instant until = clock.instant().plusSeconds(1);
            for (Instant oldest : Arrays.asList(oldestNewPatient, oldestSearch)) {
                if (oldest != null && oldest.plus(Duration.ofMinutes(10)).isAfter(until)) {
                    until = oldest.plus(Duration.ofMinutes(10)).plusSeconds(1);
                }
            }
            return until;
        }
    }

    /** What the last answer said in {@code Retry-After}, as a client that honours it reads it. */
    static final class RetryAfter implements ca.uhn.fhir.rest.client.api.IClientInterceptor {

        private volatile long seconds = -1;

        @Override
        public void interceptRequest(ca.uhn.fhir.rest.client.api.IHttpRequest request) {}

        @Override
        public void interceptResponse(ca.uhn.fhir.rest.client.api.IHttpResponse response) {
            List<String> values = response.getHeaders("Retry-After");
            seconds = values == null || values.isEmpty() ? -1 : Long.parseLong(values.get(0));
        }

        long seconds() {
            if (seconds < 1) {
                throw new AssertionError("a 429 without Retry-After");
            }
            return seconds;
        }
    }

    private static String patientOf(Appointment appointment) {
        return appointment.getParticipant().stream()
                .map(p -> p.getActor().getReference())
                .filter(ref -> ref != null && ref.startsWith("Patient/"))
                .map(ref -> ref.substring("Patient/".length()))
                .findFirst()
                .orElseThrow();
    }

    private UUID organizationOf(String patient) {
        return JdbcClient.create(owner)
                .sql("SELECT organization_id FROM org_patient WHERE id = CAST(:id AS uuid)")
                .param("id", patient)
                .query(UUID.class)
                .single();
    }

    private List<JsonNode> alerts(GrantedApp app) {
        return app.orgAdmin()
                .get("/api/v1/staff/guard-alerts")
                .body()
                .valueStream()
                .toList();
    }

    private List<JsonNode> platformAlerts(GrantedApp app) {
        String clientId = app.clientId;
        UUID appId = JdbcClient.create(owner)
                .sql("SELECT id FROM connected_app WHERE client_id = :client")
                .param("client", clientId)
                .query(UUID.class)
                .single();
        return app.platformAdmin()
                .get("/api/v1/admin/guard-alerts?size=50")
                .body()
                .valueStream()
                .filter(a -> a.get("appId").asString().equals(appId.toString()))
                .toList();
    }

    private JsonNode grant(GrantedApp app) {
        return app.orgAdmin()
                .get("/api/v1/staff/connected-app-grants")
                .body()
                .get("items")
                .valueStream()
                .filter(g -> g.get("id").asString().equals(app.grantId))
                .findFirst()
                .orElseThrow();
    }

    private List<String> recipientsOfMailMentioning(String text) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            List<String> found = Arrays.stream(smtp.getReceivedMessages())
                    .filter(m -> {
                        try {
                            return ((String) m.getContent()).contains(text);
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .map(m -> {
                        try {
                            return m.getAllRecipients()[0].toString();
                        } catch (jakarta.mail.MessagingException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
            if (found.size() >= 2 || System.currentTimeMillis() > deadline) {
                return found;
            }
            sleep();
        }
    }

    private String awaitMail(String recipient, String mentioning) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (var message : smtp.getReceivedMessages()) {
                try {
                    String body = (String) message.getContent();
                    if (message.getAllRecipients()[0].toString().equals(recipient) && body.contains(mentioning)) {
                        return body;
                    }
                } catch (Exception e) {
                    // not a text mail: not ours
                }
            }
            sleep();
        }
        throw new AssertionError("no mail to " + recipient + " mentioning " + mentioning);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code patients} in the practice's file and {@code perDay} booked appointments a day from 08:00
     * (Paris) for {@code days} days back and ahead of START, each for the next patient of the file in turn.
     */
    private void seed(Practice p, int patients, int perDay, int days) {
        JdbcClient db = JdbcClient.create(owner);
        db.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, search_name, created_at)
                        SELECT gen_random_uuid(), :org, 'Prenom' || i, 'Nom' || i, DATE '1950-01-01' + i, 'nom' || i, now()
                          FROM generate_series(1, :n) AS i
                        """).param("org", p.organizationId()).param("n", patients).update();
        db.sql("""
                        WITH numbered AS (
                            SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM org_patient
                             WHERE organization_id = :org AND NOT decoy),
                        slots AS (
                            SELECT n, (DATE '2027-01-04' + (n / :perDay - :days) + TIME '08:00'
                                       + (n % :perDay) * INTERVAL '30 minutes') AT TIME ZONE 'Europe/Paris' AS start_at
                              FROM generate_series(0, 2 * :days * :perDay - 1) AS n)
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
                .param("perDay", perDay)
                .param("days", days)
                .param("patients", patients)
                .update();
    }
}
