package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.creneau.guard.internal.CanarySeeding;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each signal of the guard, played by a connected app with a valid grant: it is contained (its
 * grant suspended, its token refused, the organization's admin and the platform's security contact
 * alerted, the journal frozen), and only an admin lets it back in. Quotas refuse without containing.
 */
@IntegrationTest
class GuardSignalTests {

    static final String SECURITY_CONTACT = "securite@creneau.example";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    GreenMail smtp;

    @Autowired
    CanarySeeding canaries;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;
    GrantedApp app;
    IGenericClient fhir;
    List<UUID> appointments;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("dermatologue");
        appointments = seedAppointments(practice, 30);
        app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs", "system/Patient.r"));
        fhir = app.fhir();
    }

    @Test
    void manyMissingRecordsAreAnEnumerationAndContainTheApp() {
        for (int i = 0; i < 19; i++) {
            String random = UUID.randomUUID().toString();
            assertThatThrownBy(() -> fhir.read()
                            .resource(Appointment.class)
                            .withId(random)
                            .execute())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(app.status()).isEqualTo("ACTIVE");
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(UUID.randomUUID().toString())
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);

        assertContained("ENUMERATION");

        // Alerts and limits are the organization's own: another organization's admin sees none and
        // cannot touch the grant; the practice's staff who are not its admin get 404.
        Practice other = fixtures.practice("dermatologue");
        var otherAdmin = SignIn.staff(port, other.adminEmail());
        assertThat(otherAdmin.get("/api/v1/staff/guard-alerts").body()).isEmpty();
        assertThat(otherAdmin
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("patientsPerHour", 1_000_000))
                        .status())
                .isEqualTo(404);
        assertThat(SignIn.staff(port, practice.staffEmail())
                        .get("/api/v1/staff/guard-alerts")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void refusalsTrippingTheSignalOnManyRequestThreadsAtOnceContainTheAppOnce() throws Exception {
        for (int i = 0; i < 15; i++) {
            String random = UUID.randomUUID().toString();
            assertThatThrownBy(() -> fhir.read()
                            .resource(Appointment.class)
                            .withId(random)
                            .execute())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        String token = app.token();
        int threads = 16;
        List<IGenericClient> clients = java.util.stream.IntStream.range(0, threads)
                .mapToObj(i -> FhirTestClient.withToken(port, token))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Integer> statuses = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (IGenericClient client : clients) {
                answers.add(pool.submit(() -> {
                    start.await();
                    try {
                        client.read()
                                .resource(Appointment.class)
                                .withId(UUID.randomUUID().toString())
                                .execute();
                        return 200;
                    } catch (BaseServerResponseException e) {
                        return e.getStatusCode();
                    }
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // A refusal is still answered 404 when it trips the signal (as one at a time); 401 once suspended.
        assertThat(statuses).allMatch(s -> s == 404 || s == 401);
        assertContained("ENUMERATION"); // one alert, one email
    }

    @Test
    void readingRecordsNeverShownIsContained() {
        for (int i = 0; i < 9; i++) {
            assertThat(fhir.read()
                            .resource(Appointment.class)
                            .withId(appointments.get(i).toString())
                            .execute()
                            .getIdElement()
                            .getIdPart())
                    .isEqualTo(appointments.get(i).toString());
        }
        UUID tenth = appointments.get(9);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(tenth.toString())
                        .execute())
                .isInstanceOf(AuthenticationException.class);

        assertContained("UNSEEN_RECORDS");
    }

    @Test
    void aWithheldAnswerLeavesExactlyOneWithheldEntryAndNoRead() {
        for (int i = 0; i < 9; i++) {
            fhir.read()
                    .resource(Appointment.class)
                    .withId(appointments.get(i).toString())
                    .execute();
        }
        UUID tenth = appointments.get(9);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(tenth.toString())
                        .execute())
                .isInstanceOf(AuthenticationException.class);

        JdbcClient journal = JdbcClient.create(owner);
        String entriesOf = "SELECT route, purpose, outcome FROM journal_entry"
                + " WHERE resource_ids @> ARRAY[:id]::uuid[] AND grant_id = :grant ORDER BY seq";
        // The answer sent: one READ entry, its route the HAPI operation.
        assertThat(journal.sql(entriesOf)
                        .param("id", appointments.get(0))
                        .param("grant", UUID.fromString(app.grantId))
                        .query((rs, n) -> rs.getString("route") + " " + rs.getString("outcome"))
                        .list())
                .containsExactly("GET /fhir/Appointment/{id} READ");
        // The answer withheld: one WITHHELD entry, and no READ for what never left.
        assertThat(journal.sql(entriesOf)
                        .param("id", tenth)
                        .param("grant", UUID.fromString(app.grantId))
                        .query((rs, n) ->
                                rs.getString("route") + " " + rs.getString("purpose") + " " + rs.getString("outcome"))
                        .list())
                .containsExactly("GET /fhir/Appointment/{id} guard WITHHELD");
    }

    @Test
    void aReadsObservationAndItsJournalEntryCommitTogetherInOneTransaction() {
        UUID read = appointments.get(0);
        fhir.read().resource(Appointment.class).withId(read.toString()).execute();

        // Rows written by one transaction carry its id: the guard's counts and the entry are one commit.
        JdbcClient asOwner = JdbcClient.create(owner);
        String entry = asOwner.sql("SELECT xmin::text FROM journal_entry"
                        + " WHERE resource_ids @> ARRAY[:id]::uuid[] AND grant_id = :grant AND outcome = 'READ'")
                .param("id", read)
                .param("grant", UUID.fromString(app.grantId))
                .query(String.class)
                .single();
        String seen = asOwner.sql("SELECT xmin::text FROM guard_seen WHERE grant_id = :grant AND record_id = :id")
                .param("id", read)
                .param("grant", UUID.fromString(app.grantId))
                .query(String.class)
                .single();
        String unseenMark = asOwner.sql("SELECT xmin::text FROM guard_mark WHERE grant_id = :grant AND kind = 'UNSEEN'")
                .param("grant", UUID.fromString(app.grantId))
                .query(String.class)
                .single();
        assertThat(seen).isEqualTo(entry);
        assertThat(unseenMark).isEqualTo(entry);
    }

    @Test
    void recordsShownBySearchMayBeReadAgainByIdAsOftenAsNeeded() {
        Bundle found = search("2027-01-05T00:00:00Z", "2027-01-07T00:00:00Z");
        assertThat(found.getEntry()).hasSize(30);
        for (int round = 0; round < 2; round++) {
            for (Bundle.BundleEntryComponent e : found.getEntry()) {
                fhir.read()
                        .resource(Appointment.class)
                        .withId(e.getResource().getIdElement().getIdPart())
                        .execute();
            }
        }
        assertThat(app.status()).isEqualTo("ACTIVE");
    }

    @Test
    void velocityIsJudgedAgainstTheAppsOwnBaselineSpreadOverSeveralDays() {
        Practice busy = fixtures.practice("dermatologue");
        seedAppointments(busy, 60); // Tuesday from 08:00 UTC, every 30 minutes
        GrantedApp steady = GrantedApp.on(port, clock, fixtures, busy, List.of("system/Appointment.rs"));
        clock.set(clock.instant().plusSeconds(30)); // the admin's next sign-in needs a new TOTP code
        GrantedApp fresh = GrantedApp.on(port, clock, fixtures, busy, List.of("system/Appointment.rs"));
        for (GrantedApp each : List.of(steady, fresh)) {
            assertThat(each.orgAdmin()
                            .put(
                                    "/api/v1/staff/connected-app-grants/" + each.grantId + "/limits",
                                    Map.of("newPatientsPer10Minutes", 10))
                            .status())
                    .isEqualTo(200);
        }
        Instant tuesday = Instant.parse("2027-01-05T08:00:00Z");
        // Steady work on five days: 8 new patients on each (floor 10).
        for (int k = 0; k < 5; k++) {
            clock.set(TestConfiguration.MONDAY_MORNING.plus(java.time.Duration.ofDays(k)));
            Instant from = tuesday.plusSeconds(4 * 3600L * k);
            assertThat(search(
                                    steady.fhir(),
                                    from.toString(),
                                    from.plusSeconds(4 * 3600).toString())
                            .getEntry())
                    .hasSize(8);
        }
        clock.set(TestConfiguration.MONDAY_MORNING.plus(java.time.Duration.ofDays(6)));
        String burstFrom = tuesday.plusSeconds(20 * 3600L).toString();
        String burstTo = tuesday.plusSeconds(30 * 3600L).toString();

        // 20 new patients: above the floor, below three times its own average of 8 over those days.
        assertThat(search(steady.fhir(), burstFrom, burstTo).getEntry()).hasSize(20);
        // The admin's session would have lapsed after a simulated week: the grant's status from the database.
        assertThat(grantStatus(steady)).isEqualTo("ACTIVE");
        // The same 20 from an app with no history of its own are far above its floor.
        IGenericClient newcomer = fresh.fhir();
        assertThatThrownBy(() -> search(newcomer, burstFrom, burstTo)).isInstanceOf(AuthenticationException.class);
        assertThat(grantStatus(fresh)).isEqualTo("SUSPENDED");
        assertThat(JdbcClient.create(owner)
                        .sql("SELECT signal FROM guard_alert WHERE grant_id = CAST(:grant AS uuid)")
                        .param("grant", fresh.grantId)
                        .query(String.class)
                        .list())
                .containsExactly("VELOCITY");
    }

    private String grantStatus(GrantedApp app) {
        return JdbcClient.create(owner)
                .sql("SELECT status FROM app_grant WHERE id = CAST(:grant AS uuid)")
                .param("grant", app.grantId)
                .query(String.class)
                .single();
    }

    @Test
    void anAppCannotTrainItsBaselineWithinTheLastDay() {
        Practice busy = fixtures.practice("dermatologue");
        seedAppointments(busy, 60);
        GrantedApp trainer = GrantedApp.on(port, clock, fixtures, busy, List.of("system/Appointment.rs"));
        assertThat(trainer.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + trainer.grantId + "/limits",
                                Map.of("newPatientsPer10Minutes", 10))
                        .status())
                .isEqualTo(200);
        Instant tuesday = Instant.parse("2027-01-05T08:00:00Z");
        // Five bursts just under the floor, 20 minutes apart: its own "average" of 8 within the hour...
        for (int k = 0; k < 5; k++) {
            clock.set(TestConfiguration.MONDAY_MORNING.plusSeconds(1200L * k));
            Instant from = tuesday.plusSeconds(4 * 3600L * k);
            assertThat(search(
                                    trainer.fhir(),
                                    from.toString(),
                                    from.plusSeconds(4 * 3600).toString())
                            .getEntry())
                    .hasSize(8);
        }
        // ...does not raise its threshold: 20 new patients an hour later are judged against the floor.
        clock.set(TestConfiguration.MONDAY_MORNING.plusSeconds(7200));
        IGenericClient burst = trainer.fhir();
        assertThatThrownBy(() -> search(
                        burst,
                        tuesday.plusSeconds(20 * 3600L).toString(),
                        tuesday.plusSeconds(30 * 3600L).toString()))
                .isInstanceOf(AuthenticationException.class);
        assertThat(trainer.status()).isEqualTo("SUSPENDED");
    }

    @Test
    void searchingManyDifferentDateWindowsIsASweep() {
        Instant day = Instant.parse("2027-02-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            search(
                    day.plusSeconds(86_400L * i).toString(),
                    day.plusSeconds(86_400L * (i + 1)).toString());
        }
        assertThat(app.status()).isEqualTo("ACTIVE");
        String from = day.plusSeconds(86_400L * 7).toString();
        String to = day.plusSeconds(86_400L * 8).toString();
        assertThatThrownBy(() -> search(from, to)).isInstanceOf(AuthenticationException.class);

        assertContained("SWEEP");
    }

    @Test
    void readingACanaryRecordContainsTheAppAtOnceInEveryOrganization() {
        // Canaries lie among an agenda's past appointments: the practice's week is history a week later.
        Instant now = clock.instant();
        clock.set(Instant.parse("2027-01-14T08:00:00Z"));
        try {
            canaries.seed(practice.organizationId());
        } finally {
            clock.set(now);
        }
        UUID decoy = JdbcClient.create(owner)
                .sql("SELECT id FROM appointment WHERE organization_id = :org AND decoy ORDER BY start_at LIMIT 1")
                .param("org", practice.organizationId())
                .query(UUID.class)
                .single();
        OffsetDateTime start = JdbcClient.create(owner)
                .sql("SELECT start_at FROM appointment WHERE id = :id")
                .param("id", decoy)
                .query(OffsetDateTime.class)
                .single();
        String from = start.toInstant().minusSeconds(86_400).toString();
        String to = start.toInstant().plusSeconds(86_400).toString();

        assertThatThrownBy(() -> search(from, to)).isInstanceOf(AuthenticationException.class);

        // The appointments are back to back from 08:00: a decoy lies just before the first or after the last.
        assertContained("CANARY", "2027-01-05T12:00:00Z", "2027-01-05T12:30:00Z");
    }

    @Test
    void outsideTheHoursTheGrantAllowsTheAppIsContained() {
        assertThat(app.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("allowedFrom", "08:00", "allowedTo", "19:00", "timeZone", "Nowhere/Atlantis"))
                        .status())
                .isEqualTo(400);
        assertThat(app.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("allowedFrom", "08:00", "allowedTo", "19:00", "timeZone", "Europe/Paris"))
                        .status())
                .isEqualTo(200);
        clock.set(Instant.parse("2027-01-04T09:00:00Z")); // 10:00 in Paris
        fhir = app.fhir();
        assertThat(search("2027-01-05T00:00:00Z", "2027-01-07T00:00:00Z").getEntry())
                .hasSize(30);
        clock.set(Instant.parse("2027-01-04T20:30:00Z")); // 21:30 in Paris
        IGenericClient late = app.fhir();
        assertThatThrownBy(() -> search(late, "2027-01-05T00:00:00Z", "2027-01-07T00:00:00Z"))
                .isInstanceOf(AuthenticationException.class);

        assertContained("OFF_HOURS");
    }

    @Test
    void aQuotaRefusesWithRetryAfterAndDoesNotSuspend() throws Exception {
        assertThat(app.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("appointmentsPerHour", 20))
                        .status())
                .isEqualTo(200);
        IGenericClient limited = app.fhir();
        BaseServerResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(
                BaseServerResponseException.class,
                () -> search(limited, "2027-01-05T00:00:00Z", "2027-01-07T00:00:00Z"));
        assertThat(refused.getStatusCode()).isEqualTo(429);
        java.net.http.HttpResponse<String> raw = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                                        + "/fhir/Appointment?date=ge2027-01-05T00:00:00Z&date=lt2027-01-07T00:00:00Z"))
                                .header("Authorization", "Bearer " + app.token())
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(429);
        assertThat(raw.body()).contains("OperationOutcome").doesNotContain("Nom");
        assertThat(Long.parseLong(raw.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 3600L);
        assertThat(app.status()).isEqualTo("ACTIVE");
        clock.set(TestConfiguration.MONDAY_MORNING.plusSeconds(3601));
        assertThat(search(app.fhir(), "2027-01-05T00:00:00Z", "2027-01-05T08:30:00Z")
                        .getEntry())
                .hasSize(1);
    }

    /** As below, the search after resuming being the first appointment's (08:00). */
    private void assertContained(String signal) {
        assertContained(signal, "2027-01-05T00:00:00Z", "2027-01-05T08:30:00Z");
    }

    /**
     * The grant is suspended, tokens stop, the alert is visible and emailed; the admin resumes it, and a
     * search of [from, to) finds the one appointment there.
     */
    private void assertContained(String signal, String from, String to) {
        assertThat(app.status()).isEqualTo("SUSPENDED");
        assertThatThrownBy(() -> search(fhir, "2027-01-05T00:00:00Z", "2027-01-06T00:00:00Z"))
                .isInstanceOf(AuthenticationException.class);
        var alerts = app.orgAdmin().get("/api/v1/staff/guard-alerts").body();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("signal").asString()).isEqualTo(signal);
        assertThat(alerts.get(0).get("journalFrozenTo").asLong()).isPositive();
        String alertId = alerts.get(0).get("id").asString();
        assertThat(app.platformAdmin()
                        .get("/api/v1/admin/guard-alerts")
                        .body()
                        .valueStream()
                        .map(a -> a.get("id").asString()))
                .contains(alertId);
        assertThat(mailMentioning(alertId))
                .extracting(this::recipient)
                .contains(practice.adminEmail(), SECURITY_CONTACT);

        assertThat(app.orgAdmin()
                        .post("/api/v1/staff/connected-app-grants/" + app.grantId + "/resume", null)
                        .status())
                .isEqualTo(200);
        clock.set(Instant.parse("2027-01-05T09:00:00Z")); // the next morning, 10:00 in Paris
        assertThat(search(app.fhir(), from, to).getEntry()).hasSize(1);
    }

    private Bundle search(String from, String to) {
        return search(fhir, from, to);
    }

    private static Bundle search(IGenericClient client, String from, String to) {
        return client.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second(from))
                .and(Appointment.DATE.before().second(to))
                .returnBundle(Bundle.class)
                .execute();
    }

    private List<MimeMessage> mailMentioning(String alertId) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            List<MimeMessage> found = Arrays.stream(smtp.getReceivedMessages())
                    .filter(m -> {
                        try {
                            return ((String) m.getContent()).contains(alertId);
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .toList();
            if (found.size() >= 2 || System.currentTimeMillis() > deadline) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    private String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} booked appointments for as many patients of the practice's file, from Tuesday 08:00 UTC. */
    private List<UUID> seedAppointments(Practice p, int count) {
        JdbcClient db = JdbcClient.create(owner);
        return db
                .sql("""
                        WITH patients AS (
                            INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, search_name, created_at)
                            SELECT gen_random_uuid(), :org, 'Prenom' || i, 'Nom' || i, DATE '1960-01-01' + i, 'nom' || i, now()
                              FROM generate_series(1, :n) AS i
                            RETURNING id),
                        numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM patients)
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                                                 org_patient_id, start_at, end_at, status, created_at, updated_at)
                        SELECT gen_random_uuid(), :org, :practitioner, :site, :motive, pr.specialty_code, numbered.id,
                               TIMESTAMPTZ '2027-01-05 08:00Z' + numbered.rn * INTERVAL '30 minutes',
                               TIMESTAMPTZ '2027-01-05 08:30Z' + numbered.rn * INTERVAL '30 minutes', 'BOOKED', now(), now()
                          FROM numbered JOIN practitioner pr ON pr.id = :practitioner
                        RETURNING id, start_at
                        """)
                .param("org", p.organizationId())
                .param("practitioner", p.practitionerId())
                .param("site", p.siteId())
                .param("motive", p.motiveId())
                .param("n", count)
                .query((rs, i) ->
                        Map.entry(rs.getObject("start_at", OffsetDateTime.class), rs.getObject("id", UUID.class)))
                .list()
                .stream()
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .toList();
    }
}
