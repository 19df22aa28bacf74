package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The patient file pages: a search (posted, so no name reaches an address) finds a patient by phone,
 * the entry shows contact details, no-shows and the appointments past and to come on the agendas the
 * person may see, each view journaled with the patient's id and never the name; another practice's
 * patient, or staff without any agenda, get the not-found page.
 */
@IntegrationTest
class PatientFilePagesTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;
    ApiClient desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("cardiologue");
        desk = login(practice.staffEmail());
    }

    /** Books at the desk on an agenda; returns the appointment's body. */
    Response book(java.util.UUID practitionerId, java.util.UUID motiveId, Instant start, Object patient) {
        Response booked = desk.post(
                "/api/v1/staff/agendas/" + practitionerId + "/appointments",
                patient instanceof String orgPatientId
                        ? Map.of(
                                "motiveId",
                                motiveId,
                                "siteId",
                                practice.siteId(),
                                "start",
                                start.toString(),
                                "orgPatientId",
                                orgPatientId)
                        : Map.of(
                                "motiveId",
                                motiveId,
                                "siteId",
                                practice.siteId(),
                                "start",
                                start.toString(),
                                "patient",
                                patient));
        assertThat(booked.status()).isEqualTo(201);
        return booked;
    }

    @Test
    void aPatientFoundByPhoneShowsContactsNoShowsAndAppointmentsOnTheAgendasSeenOnly() {
        SecondAgenda hidden = fixtures.secondPractitioner(practice, true);
        Response first = book(
                practice.practitionerId(),
                practice.motiveId(),
                TUESDAY_9,
                Map.of(
                        "firstName", "Marc",
                        "lastName", "Fichier-Test",
                        "birthDate", "1975-05-06",
                        "phone", "+33 6 77 88 99 00",
                        "email", "marc@example.test"));
        String patientId = first.text("orgPatientId");
        String missed = first.text("id");
        String upcoming = book(
                        practice.practitionerId(), practice.motiveId(), TUESDAY_9.plus(Duration.ofDays(7)), patientId)
                .text("id");
        clock.set(TUESDAY_9.plus(Duration.ofMinutes(40)));
        // A day later the session has lapsed: the secretary signs in again.
        desk = login(practice.staffEmail());
        assertThat(desk.post("/api/v1/staff/appointments/" + missed + "/no-show", null)
                        .status())
                .isEqualTo(200);
        // An appointment on another agenda, then the secretary's rights on that agenda taken away.
        String elsewhere = book(
                        hidden.practitionerId(), hidden.motiveId(), TUESDAY_9.plus(Duration.ofDays(2)), patientId)
                .text("id");
        ApiClient admin = login(practice.adminEmail());
        assertThat(admin.put(
                                "/api/v1/staff/agendas/" + hidden.practitionerId() + "/rights/"
                                        + practice.staffAccountId(),
                                Map.of("viewAppointments", false, "manageAppointments", false, "manageSettings", false))
                        .status())
                .isEqualTo(200);

        Response results = desk.postForm("/cabinet/patients", Map.of("phone", "06 77 88 99 00"));
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.raw().body()).contains("id=\"patient-" + patientId + "\"", "Fichier-Test Marc");

        Response entry = desk.get("/cabinet/patients/" + patientId);
        assertThat(entry.status()).isEqualTo(200);
        String html = entry.raw().body();
        assertThat(html)
                .contains("+33677889900", "marc@example.test")
                .containsPattern("id=\"patient-no-shows\">1<")
                .contains("id=\"visit-" + upcoming + "\"", "id=\"visit-" + missed + "\"")
                .doesNotContain(elsewhere);
        assertThat(html.indexOf("id=\"upcoming\"")).isLessThan(html.indexOf("id=\"visit-" + upcoming + "\""));
        assertThat(html.indexOf("id=\"past\"")).isLessThan(html.indexOf("id=\"visit-" + missed + "\""));
        assertThat(html).doesNotContain("<title>Marc");

        JdbcTemplate journal = new JdbcTemplate(owner);
        List<Map<String, Object>> viewed = journal.queryForList(
                "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND route = ?",
                patientId,
                "GET /cabinet/patients/{orgPatientId}");
        assertThat(viewed).hasSize(1);
        assertThat(viewed.get(0).get("purpose")).isEqualTo("view patient file entry");
        assertThat(viewed.get(0).get("resource_type")).isEqualTo("Patient");
        assertThat(journal.queryForList(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND route = ?",
                        patientId,
                        "POST /cabinet/patients"))
                .hasSize(1);
        assertThat(journal.queryForObject(
                        "SELECT count(*) FROM journal_entry j WHERE CAST(j AS text) LIKE '%Fichier-Test%'", Long.class))
                .as("the journal names routes and ids, never a name")
                .isZero();
    }

    @Test
    void aSearchWithoutCriterionIsSaidAtTheNameFieldAndTheFormIsKept() {
        Response refused = desk.postForm("/cabinet/patients", Map.of("phone", "12"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body()).contains("id=\"search-name-error\"").contains("value=\"12\"");
    }

    @Test
    void anotherPracticesPatientAndStaffWithoutAnyAgendaGetTheNotFoundPage() {
        String patientId = book(
                        practice.practitionerId(),
                        practice.motiveId(),
                        TUESDAY_9,
                        Map.of(
                                "firstName", "Secret",
                                "lastName", "Ailleurs",
                                "birthDate", "1970-01-01",
                                "phone", "+33 6 11 22 33 44"))
                .text("orgPatientId");
        Practice other = fixtures.practice("cardiologue");
        ApiClient otherDesk = login(other.staffEmail());
        ApiClient noRights = login(practice.noRightsEmail());

        Response foreign = otherDesk.get("/cabinet/patients/" + patientId);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.raw().body()).contains("id=\"not-found\"").doesNotContain("Ailleurs");
        assertThat(otherDesk
                        .postForm("/cabinet/patients", Map.of("name", "Ailleurs"))
                        .raw()
                        .body())
                .doesNotContain(patientId)
                .doesNotContain("Secret");
        for (String path : List.of("/cabinet/patients", "/cabinet/patients/" + patientId)) {
            assertThat(noRights.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(noRights.postForm("/cabinet/patients", Map.of("name", "Ailleurs"))
                        .status())
                .isEqualTo(404);
    }

    private ApiClient login(String email) {
        ApiClient client = new ApiClient(port, clock);
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }
}
