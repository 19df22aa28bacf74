package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
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
