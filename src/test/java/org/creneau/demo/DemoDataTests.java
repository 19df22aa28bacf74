package org.creneau.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class DemoDataTests {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @Autowired
    MutableClock clock;

    @Test
    void theDemoLooksLikeRealPracticesInSeveralFrenchCities() {
        JdbcTemplate jdbc = new JdbcTemplate(owner);
        String demo =
                "SELECT id FROM organization WHERE name IN ('Centre de santé Voltaire', 'Cabinet médical Montmartre',"
                        + " 'Maison de santé Croix-Rousse', 'Cabinet Bellecour', 'Centre médical du Vieux-Port', 'Pôle santé Prado',"
                        + " 'Cabinet des Chartrons')";
        assertThat(jdbc.queryForObject("SELECT count(*) FROM (" + demo + ") d", Long.class))
                .isEqualTo(7);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM practitioner WHERE organization_id IN (" + demo + ")", Long.class))
                .isGreaterThanOrEqualTo(40);
        assertThat(jdbc.queryForObject(
                        "SELECT count(DISTINCT specialty_code) FROM practitioner WHERE organization_id IN (" + demo
                                + ")",
                        Long.class))
                .isGreaterThanOrEqualTo(8);
        assertThat(jdbc.queryForObject(
                        "SELECT count(DISTINCT city) FROM site WHERE organization_id IN (" + demo + ")", Long.class))
                .isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM site s JOIN organization o ON o.id = s.organization_id"
                                + " WHERE o.name = 'Centre de santé Voltaire' AND o.kind = 'HEALTH_CENTRE'",
                        Long.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM appointment WHERE organization_id IN (" + demo + ")", Long.class))
                .isGreaterThan(100);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM absence WHERE organization_id IN (" + demo + ")", Long.class))
                .isGreaterThanOrEqualTo(40);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM practitioner WHERE organization_id IN (" + demo + ")"
                                + " AND rpps !~ '^[0-9]{11}$'",
                        Long.class))
                .isZero();
    }

    @Test
    void theDemoLoginsWorkAndThePatientCanFindADoctorInParis() {
        ApiClient patient = new ApiClient(port);
        assertThat(patient.login(DemoData.PATIENT_LOGIN, DemoData.DEMO_PASSWORD).text("kind"))
                .isEqualTo("PATIENT");
        ApiClient secretary = new ApiClient(port, clock);
        var signedIn =
                secretary.loginStaff(DemoData.SECRETARY_LOGIN, DemoData.DEMO_PASSWORD, DemoData.STAFF_TOTP_SECRET);
        assertThat(signedIn.body().path("memberships").get(0).path("role").asString())
                .isEqualTo("SECRETARY");
        var found = patient.get("/api/v1/search?specialty=medecin-generaliste&city=Paris");
        assertThat(found.body().path("items").size()).isPositive();
        assertThat(patient.get("/api/v1/me/relatives")
                        .body()
                        .get(0)
                        .path("firstName")
                        .asString())
                .isEqualTo("Jules");
        assertThat(new ApiClient(port)
                        .post(
                                "/api/v1/auth/login",
                                java.util.Map.of(
                                        "email",
                                        DemoData.PATIENT_LOGIN,
                                        "password",
                                        "wrong-password-" + UUID.randomUUID()))
                        .status())
                .isEqualTo(401);
    }
}
