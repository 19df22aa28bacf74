package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.journal.Journaled;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The later patients' pages over plain HTTP: what they journal, and that another patient's objects
 * answer like missing ones.
 */
@IntegrationTest
class PatientFlowPageTests {

    static final Instant NEXT_WEDNESDAY_10 = Instant.parse("2027-01-13T09:00:00Z");
    static final Instant NEXT_THURSDAY_10 = Instant.parse("2027-01-14T09:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @Autowired
    AgendaSettings agendas;

    @Autowired
    TenantScope scope;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    Practice practice;
    ApiClient patient;

    @BeforeEach
    void book() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("ophtalmologue");
        patient = new ApiClient(port);
        patient.registerAndLogin(PageChecks.newEmail("flows"));
    }

    @Test
    void aMoveIsJournaledAsAnUpdateAndARefusedOneIsNot() {
        String id = booked(patient, NEXT_WEDNESDAY_10);
        ApiClient.Response moved = patient.postForm(
                "/mes-rendez-vous/" + id + "/deplacer",
                Map.of(
                        "start",
                        NEXT_THURSDAY_10.toString(),
                        "siteId",
                        practice.siteId().toString()));
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.raw().headers().firstValue("Location").orElseThrow()).endsWith("/mes-rendez-vous/" + id);
        assertThat(patient.get("/api/v1/appointments/" + id).text("start")).startsWith("2027-01-14T09:00");
        assertThat(entries(id, "POST /mes-rendez-vous/{id}/deplacer"))
                .extracting(e -> e.get("purpose") + "/" + e.get("outcome"))
                .containsExactly("reschedule/UPDATED");

        ApiClient other = new ApiClient(port);
        other.registerAndLogin(PageChecks.newEmail("other"));
        booked(other, NEXT_WEDNESDAY_10);
        ApiClient.Response refused = patient.postForm(
                "/mes-rendez-vous/" + id + "/deplacer",
                Map.of(
                        "start",
                        NEXT_WEDNESDAY_10.toString(),
                        "siteId",
                        practice.siteId().toString()));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.raw().headers().firstValue("Location").orElseThrow())
                .contains("/mes-rendez-vous/" + id + "/deplacer");
        assertThat(patient.get("/api/v1/appointments/" + id).text("start")).startsWith("2027-01-14T09:00");
        assertThat(entries(id, "POST /mes-rendez-vous/{id}/deplacer")).hasSize(1);
    }

    @Test
    void aCancelRefusedInWordsIsJournaledAsTheReadItWasNotAsAnUpdate() {
        String id = booked(patient, NEXT_WEDNESDAY_10);
        ApiClient.Response refused =
                patient.postForm("/mes-rendez-vous/" + id + "/annuler", Map.of("reason", "x".repeat(5000)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(patient.get("/api/v1/appointments/" + id).text("status")).isEqualTo("BOOKED");
        assertThat(entries(id, "POST /mes-rendez-vous/{id}/annuler"))
                .extracting(e -> e.get("purpose") + "/" + e.get("outcome"))
                .containsExactly("cancel/READ");

        ApiClient.Response cancelled =
                patient.postForm("/mes-rendez-vous/" + id + "/annuler", Map.of("reason", "Empêchement"));
        assertThat(cancelled.status()).isEqualTo(302);
        assertThat(entries(id, "POST /mes-rendez-vous/{id}/annuler"))
                .extracting(e -> e.get("purpose") + "/" + e.get("outcome"))
                .containsExactly("cancel/READ", "cancel/UPDATED");
    }

    @Test
    void anotherPatientsAppointmentCannotBeMovedAndItsMovePageAnswersLikeAMissingOne() {
        String id = booked(patient, NEXT_WEDNESDAY_10);
        ApiClient stranger = new ApiClient(port);
        stranger.registerAndLogin(PageChecks.newEmail("stranger"));
        String unknown = UUID.randomUUID().toString();
        ApiClient.Response refused = stranger.get("/mes-rendez-vous/" + id + "/deplacer");
        ApiClient.Response missing = stranger.get("/mes-rendez-vous/" + unknown + "/deplacer");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.raw().body().replace(id, "ID"))
                .isEqualTo(missing.raw().body().replace(unknown, "ID"));
        ApiClient.Response move = stranger.postForm(
                "/mes-rendez-vous/" + id + "/deplacer",
                Map.of(
                        "start",
                        NEXT_THURSDAY_10.toString(),
                        "siteId",
                        practice.siteId().toString()));
        assertThat(move.status()).isEqualTo(404);
        assertThat(patient.get("/api/v1/appointments/" + id).text("start")).startsWith("2027-01-13T09:00");
    }

    @Test
    void theAccessLogPageSaysInPlainWordsThatThePracticesReceptionViewedTheAppointment() {
        String id = booked(patient, NEXT_WEDNESDAY_10);
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(desk.get("/api/v1/staff/appointments/" + id).status()).isEqualTo(200);

        String french = patient.get("/mes-acces").raw().body();
        assertThat(french)
                .contains("Le secrétariat du cabinet")
                .contains("Consulter le rendez-vous")
                .contains("Cabinet test ")
                .doesNotContain(id);
        String english = patient.get("/mes-acces?lang=en").raw().body();
        assertThat(english).contains("The practice’s reception").contains("View the appointment");
        // The patient's own reads are not others' accesses: a new account's log is empty.
        ApiClient newcomer = new ApiClient(port);
        newcomer.registerAndLogin(PageChecks.newEmail("newcomer"));
        assertThat(newcomer.get("/mes-acces").raw().body()).contains("id=\"no-access\"");
        ApiClient.Response anonymous = new ApiClient(port).get("/mes-acces");
        assertThat(anonymous.status()).isEqualTo(302);
    }

    @Test
    void aPatientPutsARelativeOnTheWaitingListAndAnotherAccountsRelativeAnswersLikeAMissingOne() {
        Instant now = clock.instant();
        scope.write(
                new Caller.System(practice.organizationId()),
                () -> agendas.addAbsence(
                        practice.organizationId(),
                        practice.practitionerId(),
                        now,
                        now.plus(Duration.ofDays(20)),
                        "congrès"));
        String page = "/praticiens/" + practice.practitionerId();
        // Alone on the account: the waiting list is for the account holder, no names, no entry.
        long before = entriesOf("GET /praticiens/{id}");
        Html alone = Html.parse(patient.get(page).raw().body());
        assertThat(alone.first("form", null)).isNotNull();
        assertThat(alone.all("input", null).stream().filter(i -> "person".equals(i.attr("name"))))
                .isEmpty();
        assertThat(entriesOf("GET /praticiens/{id}")).isEqualTo(before);

        String child = patient.post(
                        "/api/v1/me/relatives",
                        Map.of(
                                "relationship",
                                "CHILD",
                                "firstName",
                                "Léa",
                                "lastName",
                                "Martin",
                                "birthDate",
                                "2020-02-02"))
                .text("id");
        Html offer = Html.parse(patient.get(page).raw().body());
        assertThat(offer.all("input", null).stream()
                        .filter(i -> "person".equals(i.attr("name")))
                        .map(i -> i.attr("value") + (i.attr("checked") != null ? " checked" : "")))
                .containsExactly("self checked", child);
        // The names shown are journaled, as the account pages' are.
        assertThat(entries(child, "GET /praticiens/{id}"))
                .extracting(e -> e.get("purpose") + "/" + e.get("outcome"))
                .containsExactly("choose whom to put on a waiting list/READ");

        ApiClient.Response joined = patient.postForm(
                "/liste-d-attente",
                Map.of(
                        "practitionerId", practice.practitionerId().toString(),
                        "motiveId", practice.motiveId().toString(),
                        "siteId", practice.siteId().toString(),
                        "person", child));
        assertThat(joined.status()).isEqualTo(302);
        assertThat(joined.raw().headers().firstValue("Location").orElseThrow()).endsWith("#waitlist");
        assertThat(patient.get("/api/v1/me/waitlist")
                        .body()
                        .valueStream()
                        .map(e -> e.path("patientId").asString() + " "
                                + e.path("motiveId").asString()))
                .containsExactly(child + " " + practice.motiveId());

        // Another account's relative is refused exactly like an identifier that names no one.
        ApiClient stranger = new ApiClient(port);
        stranger.registerAndLogin(PageChecks.newEmail("stranger"));
        ApiClient.Response theirs = stranger.postForm(
                "/liste-d-attente",
                Map.of(
                        "practitionerId", practice.practitionerId().toString(),
                        "motiveId", practice.motiveId().toString(),
                        "person", child));
        ApiClient.Response missing = stranger.postForm(
                "/liste-d-attente",
                Map.of(
                        "practitionerId", practice.practitionerId().toString(),
                        "motiveId", practice.motiveId().toString(),
                        "person", UUID.randomUUID().toString()));
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(theirs.raw().body()).isEqualTo(missing.raw().body());
        assertThat(stranger.get("/api/v1/me/waitlist").body().size()).isZero();
        assertThat(patient.get("/api/v1/me/waitlist").body().size()).isEqualTo(1);
    }

    long entriesOf(String route) {
        return new JdbcTemplate(owner)
                .queryForObject("SELECT count(*) FROM journal_entry WHERE route = ?", Long.class, route);
    }

    @Test
    void everyPurposeDeclaredForAnAppointmentHasWordsInBothLanguages() throws Exception {
        Properties french = bundle("messages_fr.properties");
        Properties english = bundle("messages_en.properties");
        List<String> purposes = handlers.getHandlerMethods().values().stream()
                .map(m -> m.getMethodAnnotation(Journaled.class))
                .filter(j -> j != null && j.resource() == Journaled.Resource.APPOINTMENT)
                .map(Journaled::purpose)
                .distinct()
                .toList();
        assertThat(purposes).contains("view appointment", "reschedule", "book for a patient");
        for (String purpose : purposes) {
            String key = AccessLogPage.purposeKeyOf(purpose);
            assertThat(french.getProperty(key)).as(key).isNotBlank();
            assertThat(english.getProperty(key)).as(key).isNotBlank();
        }
    }

    static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources", name), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    String booked(ApiClient who, Instant start) {
        String id = who.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", start.toString()))
                .text("id");
        assertThat(who.post("/api/v1/appointments/" + id + "/confirm", Map.of()).status())
                .isEqualTo(200);
        return id;
    }

    List<Map<String, Object>> entries(String id, String route) {
        return new JdbcTemplate(owner)
                .queryForList(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND route = ? ORDER BY seq",
                        id,
                        route);
    }
}
