package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The patients' pages are journaled like the API: a shown appointment and a refused one each leave an entry. */
@IntegrationTest
class PageJournalTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @Test
    void anAppointmentPageLeavesAReadEntryAndAnotherPatientsLeavesARefusal() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("gynecologue");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("pages-" + UUID.randomUUID() + "@test.creneau.fr");
        String id = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        patient.post("/api/v1/appointments/" + id + "/confirm", Map.of());

        ApiClient.Response page = patient.get("/mes-rendez-vous/" + id);
        assertThat(page.status()).isEqualTo(200);
        List<Map<String, Object>> read = entries(id, "GET /mes-rendez-vous/{id}");
        assertThat(read).hasSize(1);
        assertThat(read.get(0).get("outcome")).isEqualTo("READ");
        assertThat(read.get(0).get("purpose")).isEqualTo("view own appointment");

        ApiClient stranger = new ApiClient(port);
        stranger.registerAndLogin("pages-" + UUID.randomUUID() + "@test.creneau.fr");
        ApiClient.Response refused = stranger.get("/mes-rendez-vous/" + id);
        String unknown = UUID.randomUUID().toString();
        ApiClient.Response missing = stranger.get("/mes-rendez-vous/" + unknown);
        assertThat(refused.status()).isEqualTo(404);
        // The same page, but for the address itself (in the language links).
        assertThat(refused.raw().body().replace(id, "ID"))
                .isEqualTo(missing.raw().body().replace(unknown, "ID"));
        assertThat(entries(id, "GET /mes-rendez-vous/{id}"))
                .extracting(e -> e.get("outcome"))
                .containsExactlyInAnyOrder("READ", "NOT_FOUND");
    }

    private List<Map<String, Object>> entries(String id, String route) {
        return new JdbcTemplate(owner)
                .queryForList(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND route = ?", id, route);
    }
}
