package org.creneau.patients;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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
 * The staff patient file needs a real criterion (two letters of a name, a phone number, a full birth
 * date; wildcards match themselves) and shows a staff member the people of the agendas she may see only.
 */
@IntegrationTest
class PatientFileSearchTests {

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
        practice = fixtures.practice("medecin-generaliste");
        desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    Response bookAtDesk(Instant start, String lastName) {
        Map<String, Object> body = new HashMap<>();
        body.put("motiveId", practice.motiveId());
        body.put("siteId", practice.siteId());
        body.put("start", start.toString());
        body.put(
                "patient",
                Map.of(
                        "firstName",
                        "Paul",
                        "lastName",
                        lastName,
                        "birthDate",
                        "1961-07-14",
                        "phone",
                        "+33 6 98 76 54 32"));
        return desk.post("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments", body);
    }

    Response search(String query) {
        return desk.get("/api/v1/staff/patients?" + query);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyOrTooShortCriterionOrBareWildcardsAreRefusedWithAProblemNamingTheField() {
        assertThat(bookAtDesk(TUESDAY_9, "Zanzibar").status()).isEqualTo(201);

        for (String query : new String[] {
            "",
            "name=",
            "name=" + encode(" "),
            "name=z",
            "name=" + encode("%"),
            "name=" + encode("%%"),
            "name=" + encode("__"),
            "name=" + encode("z%"),
            "name=" + encode("-"),
            "size=50&page=0"
        }) {
            Response refused = search(query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
            assertThat(refused.body().path("errors").get(0).path("field").asString())
                    .as(query)
                    .isEqualTo("name");
            assertThat(refused.text("detail")).as(query).doesNotContain("Zanzibar");
        }
        Response shortPhone = search("phone=0698");
        assertThat(shortPhone.status()).isEqualTo(400);
        assertThat(shortPhone.body().path("errors").get(0).path("field").asString())
                .isEqualTo("name");

        assertThat(search("name=za").body().path("items").findValuesAsString("lastName"))
                .containsExactly("Zanzibar");
    }

    @Test
    void wildcardsInANameAreTakenLiterally() {
        assertThat(bookAtDesk(TUESDAY_9, "Cent%Pour").status()).isEqualTo(201);
        assertThat(bookAtDesk(TUESDAY_9.plusSeconds(3600), "Centaure").status()).isEqualTo(201);
        assertThat(bookAtDesk(TUESDAY_9.plusSeconds(7200), "Cent_aine").status())
                .isEqualTo(201);

        assertThat(search("name=" + encode("cent%")).body().path("items").findValuesAsString("lastName"))
                .containsExactly("Cent%Pour");
        assertThat(search("name=" + encode("cent_")).body().path("items").findValuesAsString("lastName"))
                .containsExactly("Cent_aine");
        assertThat(search("name=" + encode("ce%r")).body().path("items").size()).isZero();
        assertThat(search("name=" + encode("c_nt")).body().path("items").size()).isZero();
        assertThat(search("name=cent").body().path("items").size()).isEqualTo(3);
    }

    @Test
    void aSecretarySeesThePatientsOfHerAgendasOnlyAndThoseNotYetBooked() {
        SecondAgenda other = fixtures.secondPractitioner(practice, false);
        ApiClient online = new ApiClient(port);
        online.registerAndLogin("other-agenda-" + UUID.randomUUID() + "@test.creneau.fr");
        Response elsewhere = online.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", other.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", other.motiveId(),
                        "start", TUESDAY_9.toString()));
        assertThat(elsewhere.status()).isEqualTo(201);
        Response mine = bookAtDesk(TUESDAY_9, "Testeuse-Ici");
        assertThat(mine.status()).isEqualTo(201);
        Response filed = desk.post(
                "/api/v1/staff/patients",
                Map.of(
                        "firstName",
                        "Nouvelle",
                        "lastName",
                        "Testeuse-Sans-Rendez-Vous",
                        "birthDate",
                        "1990-02-03",
                        "phone",
                        "+33 6 11 22 33 44"));
        assertThat(filed.status()).isEqualTo(201);

        // The online patient is "Jeanne Testeuse", booked on the agenda the secretary has no right on.
        assertThat(search("name=testeuse").body().path("items").findValuesAsString("lastName"))
                .containsExactlyInAnyOrder("Testeuse-Ici", "Testeuse-Sans-Rendez-Vous");
        assertThat(search("name=jeanne").body().path("items").size()).isZero();

        UUID jeanne = new JdbcTemplate(owner)
                .queryForObject(
                        "SELECT id FROM org_patient WHERE organization_id = ? AND last_name = 'Testeuse'",
                        UUID.class,
                        practice.organizationId());
        assertThat(desk.get("/api/v1/staff/patients/" + jeanne).status()).isEqualTo(404);
        String herPatient = search("name=testeuse-ici")
                .body()
                .path("items")
                .get(0)
                .path("id")
                .asString();
        assertThat(desk.get("/api/v1/staff/patients/" + herPatient).status()).isEqualTo(200);
    }
}
