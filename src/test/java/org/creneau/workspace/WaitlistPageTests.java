package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
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
 * The waiting list page shows, per motive and in order, who waits since when and the offer made
 * with its expiry, as the JSON API does; each view is journaled with the entries' ids; staff
 * without the right to see the agenda, or of another practice, get the not-found page.
 */
@IntegrationTest
class WaitlistPageTests {

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

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("psychiatre");
    }

    ApiClient patient(String lastName) {
        ApiClient client = new ApiClient(port, clock);
        client.registerAndLogin("wait-" + UUID.randomUUID() + "@test.creneau.fr");
        assertThat(client.put(
                                "/api/v1/me/profile",
                                Map.of(
                                        "firstName", "Lise",
                                        "lastName", lastName,
                                        "birthDate", "1979-09-09",
                                        "phone", "+33 6 55 44 33 22"))
                        .status())
                .isEqualTo(200);
        return client;
    }

    String join(ApiClient who) {
        Response joined = who.post(
                "/api/v1/waitlist",
                Map.of("practitionerId", practice.practitionerId(), "motiveId", practice.motiveId()));
        assertThat(joined.status()).isEqualTo(201);
        return joined.text("id");
    }

    String page() {
        return "/cabinet/agenda/" + practice.practitionerId() + "/liste-d-attente";
    }

    @Test
    void theDeskSeesWhoWaitsInOrderAndTheOfferMadeWithItsExpiryAsTheApiDoes() {
        ApiClient holder = patient("Titulaire");
        String held = holder.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        holder.post("/api/v1/appointments/" + held + "/confirm", null);
        String first = join(patient("Premiere-Attente"));
        clock.advance(Duration.ofSeconds(1));
        String second = join(patient("Seconde-Attente"));
        holder.post("/api/v1/appointments/" + held + "/cancel", Map.of("reason", "Empêchée"));

        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        Response shown = desk.get(page());

        assertThat(shown.status()).isEqualTo(200);
        String html = shown.raw().body();
        assertThat(html.indexOf("Lise Premiere-Attente")).isPositive().isLessThan(html.indexOf("Lise Seconde-Attente"));
        Response api = desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/waitlist");
        assertThat(api.body().path("items").valueStream().map(i -> i.path("id").asString()))
                .containsExactly(first, second);
        var offer = api.body().path("items").get(0);
        assertThat(offer.path("status").asString()).isEqualTo("OFFERED");
        assertThat(offer.path("patientLastName").asString()).isEqualTo("Premiere-Attente");
        Instant expires = Instant.parse(offer.path("offerExpiresAt").asString());
        assertThat(expires).isAfter(clock.instant());
        String expiresShown = DateTimeFormatter.ofPattern("HH:mm").format(expires.atZone(Fixtures.PARIS));
        assertThat(html)
                .containsPattern(
                        "id=\"waiting-" + first + "\"[\\s\\S]*?class=\"status-tag offered\"[^>]*>[^<]*" + expiresShown)
                .containsPattern("id=\"waiting-" + second + "\"[\\s\\S]*?class=\"status-tag\"");
        assertThat(api.body().path("items").get(1).path("offerExpiresAt").isNull())
                .isTrue();

        List<Map<String, Object>> journaled = new JdbcTemplate(owner)
                .queryForList(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid, ?::uuid] AND route = ?",
                        first,
                        second,
                        "GET /cabinet/agenda/{practitionerId}/liste-d-attente");
        assertThat(journaled).hasSize(1);
        assertThat(journaled.get(0).get("purpose")).isEqualTo("waitlist");
    }

    @Test
    void staffWhoMayNotSeeTheAgendaOrOfAnotherPracticeGetTheNotFoundPage() {
        join(patient("Cachee"));
        Practice other = fixtures.practice("psychiatre");

        for (String email : List.of(practice.noRightsEmail(), other.staffEmail(), practice.adminEmail())) {
            ApiClient outsider = new ApiClient(port, clock);
            outsider.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            Response refused = outsider.get(page());
            assertThat(refused.status()).as(email).isEqualTo(404);
            assertThat(refused.raw().body()).contains("id=\"not-found\"").doesNotContain("Cachee");
        }
    }
}
