package org.creneau.patients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every entry that stores a phone number keeps it in E.164 (a patient's registration and profile, a
 * patient the desk files), and refuses one that is not a number with a 400 naming the field,
 * saving nothing.
 */
@IntegrationTest
class PhoneEntryTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    /** The tables' owner: reads past row-level security what the test checks was (or was not) saved. */
    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcClient jdbc;

    @BeforeEach
    void asOwner() {
        jdbc = JdbcClient.create(owner);
    }

    @Test
    void aPatientRegistersWithANumberTypedTheFrenchWayAndItIsKeptInE164() {
        String email = "tel-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient.Response registered =
                new ApiClient(port).post("/api/v1/accounts", registration(email, "06 98 76 54 32"));
        assertThat(registered.status()).isEqualTo(202);
        assertThat(phoneOfAccount(email)).isEqualTo("+33698765432");
    }

    @Test
    void aRegistrationWithANumberThatIsNotOneIsRefusedNamingThePhoneAndCreatesNoAccount() {
        String email = "tel-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient.Response refused = new ApiClient(port).post("/api/v1/accounts", registration(email, "06 12 34"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("phone");
        assertThat(jdbc.sql("SELECT count(*) FROM account WHERE email = :email")
                        .param("email", email)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aPatientChangesTheirNumberOnlyToOneThatReads() {
        String email = "tel-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        Map<String, Object> profile = Map.of(
                "firstName", "Jeanne", "lastName", "Testeuse", "birthDate", "1985-04-12", "phone", "+44 20 7946 0958");
        assertThat(patient.put("/api/v1/me/profile", profile).status()).isEqualTo(200);
        assertThat(phoneOfAccount(email)).isEqualTo("+442079460958");

        ApiClient.Response refused = patient.put(
                "/api/v1/me/profile",
                Map.of("firstName", "Autre", "lastName", "Testeuse", "birthDate", "1985-04-12", "phone", "+33 0"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("phone");
        assertThat(phoneOfAccount(email)).as("unchanged").isEqualTo("+442079460958");
        assertThat(patient.get("/api/v1/me/profile").text("firstName"))
                .as("nothing saved")
                .isEqualTo("Jeanne");
    }

    @Test
    void theDeskFilesAPatientWithTheNumberInE164AndRefusesOneThatDoesNotRead() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        String last = "Numero" + UUID.randomUUID().toString().substring(0, 8);

        ApiClient.Response refused = desk.post("/api/v1/staff/patients", newPatient(last, "01 23"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("phone");
        assertThat(filed(last)).as("nothing saved").isZero();

        ApiClient.Response filed = desk.post("/api/v1/staff/patients", newPatient(last, "01 23 45 67 89"));
        assertThat(filed.status()).isEqualTo(201);
        assertThat(filed.text("phone")).isEqualTo("+33123456789");
        // Found again by the number as the secretary types it.
        ApiClient.Response found = desk.get("/api/v1/staff/patients?phone=0123456789");
        assertThat(found.raw().body()).contains(last);
    }

    private static Map<String, Object> registration(String email, String phone) {
        return Map.of(
                "email",
                email,
                "phone",
                phone,
                "password",
                Fixtures.PASSWORD,
                "firstName",
                "Jeanne",
                "lastName",
                "Testeuse",
                "birthDate",
                "1985-04-12");
    }

    private static Map<String, Object> newPatient(String last, String phone) {
        return Map.of("firstName", "Odile", "lastName", last, "birthDate", "1970-03-02", "phone", phone);
    }

    private String phoneOfAccount(String email) {
        return jdbc.sql("SELECT phone FROM account WHERE email = :email")
                .param("email", email)
                .query(String.class)
                .single();
    }

    private long filed(String last) {
        return jdbc.sql("SELECT count(*) FROM org_patient WHERE last_name = :last")
                .param("last", last)
                .query(Long.class)
                .single();
    }
}
