package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The agenda settings pages over plain HTTP: each form changes what the JSON API then reads, a refused
 * form comes back with the error at its field and what was typed, an absence first lists what it
 * cancels (the API's preview lists the same), and staff without the right, of this practice or
 * another, get the not-found page and change nothing.
 */
@IntegrationTest
class AgendaSettingsPagesTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;
    ApiClient desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("dermatologue");
        desk = login(practice.staffEmail());
    }

    String settings() {
        return "/cabinet/agenda/" + practice.practitionerId() + "/reglages";
    }

    String api() {
        return "/api/v1/staff/agendas/" + practice.practitionerId();
    }

    String book(Instant start, String lastName) {
        Map<String, Object> body = new HashMap<>();
        body.put("motiveId", practice.motiveId());
        body.put("siteId", practice.siteId());
        body.put("start", start.toString());
        body.put(
                "patient",
                Map.of(
                        "firstName",
                        "Jeanne",
                        "lastName",
                        lastName,
                        "birthDate",
                        "1980-02-03",
                        "phone",
                        "+33 6 12 34 56 78"));
        Response booked = desk.post(api() + "/appointments", body);
        assertThat(booked.status()).isEqualTo(201);
        return booked.text("id");
    }

    @Test
    void theSettingsPageShowsMotivesRangesAndRulesAndAMotiveAddedThereIsTheApis() {
        String page = desk.get(settings()).raw().body();
        assertThat(page).contains("Consultation", "Suivi", "Urgence", "id=\"rules-horizonDays\"", "value=\"90\"");

        Response added = desk.postForm(
                settings() + "/motifs",
                Map.of(
                        "label",
                        "Contrôle annuel",
                        "durationMinutes",
                        "20",
                        "onlineBookable",
                        "true",
                        "instructions",
                        "Apportez vos analyses.",
                        "cancellationCutoffHours",
                        "48"));

        assertThat(added.status()).isEqualTo(302);
        assertThat(added.raw().headers().firstValue("Location").orElseThrow()).endsWith("/reglages#motives");
        assertThat(desk.get(api() + "/motives").body().valueStream()).anySatisfy(m -> {
            assertThat(m.path("label").asString()).isEqualTo("Contrôle annuel");
            assertThat(m.path("durationMinutes").asInt()).isEqualTo(20);
            assertThat(m.path("onlineBookable").asBoolean()).isTrue();
            assertThat(m.path("newPatientsAllowed").asBoolean()).isFalse();
        });
    }

    @Test
    void aRefusedMotiveComesBackWithTheErrorAtItsFieldAndWhatWasTyped() {
        Response refused = desk.postForm(
                settings() + "/motifs/" + practice.motiveId(),
                Map.of("label", "Consultation longue", "durationMinutes", "2", "cancellationCutoffHours", ""));

        assertThat(refused.status()).isEqualTo(400);
        String page = refused.raw().body();
        assertThat(page)
                .contains("aria-describedby=\"motive-durationMinutes-error\"")
                .contains("id=\"motive-durationMinutes-error\"")
                .contains("value=\"Consultation longue\"");
        assertThat(desk.get(api() + "/motives")
                        .body()
                        .valueStream()
                        .map(m -> m.path("label").asString()))
                .contains("Consultation")
                .doesNotContain("Consultation longue");
    }

    @Test
    void aMotiveEditedKeepsItsOwnCutOffAndAnEmptyOneFollowsTheAgenda() {
        Response saved = desk.postForm(
                settings() + "/motifs/" + practice.followUpMotiveId(),
                Map.of(
                        "label", "Suivi",
                        "durationMinutes", "45",
                        "onlineBookable", "true",
                        "newPatientsAllowed", "true",
                        "cancellationCutoffHours", "6"));
        assertThat(saved.status()).isEqualTo(302);

        String form = desk.get(settings() + "/motifs/" + practice.followUpMotiveId())
                .raw()
                .body();
        assertThat(form).contains("value=\"45\"").contains("value=\"6\"");
        String other =
                desk.get(settings() + "/motifs/" + practice.motiveId()).raw().body();
        assertThat(other).containsPattern("id=\"motive-cancellationCutoffHours\"[^>]*value=\"\"");
    }

    @Test
    void openingRangesAreAddedAndRemovedAndBookingRulesSaved() {
        Response added = desk.postForm(
                settings() + "/plages",
                Map.of(
                        "siteId", practice.siteId().toString(),
                        "weekday", "SUNDAY",
                        "start", "10:00",
                        "end", "11:30",
                        "validFrom", "2027-01-01",
                        "motiveIds", practice.motiveId().toString()));
        assertThat(added.status()).isEqualTo(302);
        String rangeId = desk.get(api() + "/opening-ranges")
                .body()
                .valueStream()
                .filter(r -> r.path("weekday").asString().equals("SUNDAY"))
                .map(r -> r.path("id").asString())
                .findFirst()
                .orElseThrow();

        Response wrongHours = desk.postForm(
                settings() + "/plages",
                Map.of(
                        "siteId", practice.siteId().toString(),
                        "weekday", "SUNDAY",
                        "start", "12:00",
                        "end", "11:00",
                        "validFrom", "2027-01-01",
                        "motiveIds", practice.motiveId().toString()));
        assertThat(wrongHours.status()).isEqualTo(400);
        assertThat(wrongHours.raw().body()).contains("id=\"range-end-error\"").contains("value=\"12:00\"");

        assertThat(desk.postForm(settings() + "/plages/" + rangeId + "/supprimer", Map.of())
                        .status())
                .isEqualTo(302);
        assertThat(desk.get(api() + "/opening-ranges")
                        .body()
                        .valueStream()
                        .map(r -> r.path("id").asString()))
                .doesNotContain(rangeId);

        Response rules = desk.postForm(
                settings() + "/regles",
                Map.of("minNoticeMinutes", "120", "horizonDays", "60", "cancellationCutoffHours", "12"));
        assertThat(rules.status()).isEqualTo(302);
        assertThat(desk.get(settings()).raw().body())
                .containsPattern("id=\"rules-minNoticeMinutes\"[^>]*value=\"120\"")
                .containsPattern("id=\"rules-horizonDays\"[^>]*value=\"60\"");
    }

    @Test
    void anAbsenceListsTheAppointmentsItWouldCancelThenCancelsThemOnceConfirmed() {
        String first = book(TUESDAY_9, "Apercu-Un");
        String second = book(TUESDAY_9.plus(Duration.ofHours(2)), "Apercu-Deux");
        String nextDay = book(TUESDAY_9.plus(Duration.ofDays(1)), "Apercu-Lendemain");
        Map<String, String> absence = Map.of(
                "from", "2027-01-05T00:00", "to", "2027-01-06T00:00", "reason", "Formation", "patientMessage", "");

        Response preview = desk.postForm(settings() + "/absences/apercu", absence);

        assertThat(preview.status()).isEqualTo(200);
        String page = preview.raw().body();
        assertThat(page)
                .contains("id=\"covered-" + first + "\"", "id=\"covered-" + second + "\"")
                .contains("Jeanne Apercu-Un", "Jeanne Apercu-Deux")
                .doesNotContain(nextDay, "Apercu-Lendemain");
        Response api =
                desk.get(api() + "/absences/preview?from=2027-01-05T00:00:00%2B01:00&to=2027-01-06T00:00:00%2B01:00");
        assertThat(api.body().path("items").valueStream().map(i -> i.path("id").asString()))
                .containsExactly(first, second);
        assertThat(desk.get("/api/v1/staff/appointments/" + first).text("status"))
                .as("a preview changes nothing")
                .isEqualTo("BOOKED");

        Map<String, String> confirm = new HashMap<>(absence);
        confirm.put("shown", hidden(page, "shown"));
        Response confirmed = desk.postForm(settings() + "/absences", confirm);

        assertThat(confirmed.status()).isEqualTo(302);
        for (String id : List.of(first, second)) {
            assertThat(desk.get("/api/v1/staff/appointments/" + id).text("status"))
                    .isEqualTo("CANCELLED");
        }
        assertThat(desk.get("/api/v1/staff/appointments/" + nextDay).text("status"))
                .isEqualTo("BOOKED");
        assertThat(desk.get(api() + "/absences").body().size()).isEqualTo(1);
    }

    @Test
    void aConfirmationNoLongerTrueAddsNothingAndShowsTheAppointmentsAsTheyAreNow() {
        String first = book(TUESDAY_9, "Avant");
        Map<String, String> absence = Map.of("from", "2027-01-05T00:00", "to", "2027-01-06T00:00");
        String page =
                desk.postForm(settings() + "/absences/apercu", absence).raw().body();
        String later = book(TUESDAY_9.plus(Duration.ofHours(1)), "Entre-Temps");

        Map<String, String> confirm = new HashMap<>(absence);
        confirm.put("shown", hidden(page, "shown"));
        Response again = desk.postForm(settings() + "/absences", confirm);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.raw().body()).contains("id=\"covered-changed\"", "id=\"covered-" + later + "\"");
        assertThat(desk.get("/api/v1/staff/appointments/" + first).text("status"))
                .isEqualTo("BOOKED");
        assertThat(desk.get(api() + "/absences").body().size()).isZero();
    }

    @Test
    void anAbsenceEndingBeforeItStartsIsSaidAtItsField() {
        Response refused = desk.postForm(
                settings() + "/absences/apercu", Map.of("from", "2027-01-06T00:00", "to", "2027-01-05T00:00"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body()).contains("id=\"absence-to-error\"").contains("value=\"2027-01-06T00:00\"");
    }

    @Test
    void staffWithoutTheSettingsRightOrOfAnotherPracticeGetTheNotFoundPageAndChangeNothing() {
        String appointment = book(TUESDAY_9, "Protege");
        Practice other = fixtures.practice("dermatologue");
        clock.advance(Duration.ofSeconds(30));
        List<ApiClient> outsiders = List.of(login(practice.noRightsEmail()), login(other.staffEmail()));
        Map<String, String> absence = Map.of("from", "2027-01-05T00:00", "to", "2027-01-06T00:00");
        String rangeId =
                desk.get(api() + "/opening-ranges").body().get(0).path("id").asString();

        for (ApiClient outsider : outsiders) {
            assertThat(outsider.get(settings()).status()).isEqualTo(404);
            assertThat(outsider.get(settings() + "/motifs/" + practice.motiveId())
                            .status())
                    .isEqualTo(404);
            Response preview = outsider.postForm(settings() + "/absences/apercu", absence);
            assertThat(preview.status()).isEqualTo(404);
            assertThat(preview.raw().body()).contains("id=\"not-found\"").doesNotContain("Protege");
            assertThat(outsider.postForm(settings() + "/absences", absence).status())
                    .isEqualTo(404);
            assertThat(outsider.postForm(settings() + "/motifs", Map.of("label", "Piratage", "durationMinutes", "30"))
                            .status())
                    .isEqualTo(404);
            assertThat(outsider.postForm(settings() + "/plages/" + rangeId + "/supprimer", Map.of())
                            .status())
                    .isEqualTo(404);
            assertThat(outsider.postForm(
                                    settings() + "/regles",
                                    Map.of(
                                            "minNoticeMinutes",
                                            "0",
                                            "horizonDays",
                                            "700",
                                            "cancellationCutoffHours",
                                            "0"))
                            .status())
                    .isEqualTo(404);
            assertThat(outsider.get(api() + "/absences/preview?from=2027-01-05T00:00:00Z&to=2027-01-06T00:00:00Z")
                            .status())
                    .isEqualTo(404);
        }

        assertThat(desk.get("/api/v1/staff/appointments/" + appointment).text("status"))
                .isEqualTo("BOOKED");
        assertThat(desk.get(api() + "/absences").body().size()).isZero();
        assertThat(desk.get(api() + "/opening-ranges")
                        .body()
                        .valueStream()
                        .map(r -> r.path("id").asString()))
                .contains(rangeId);
        assertThat(desk.get(api() + "/motives")
                        .body()
                        .valueStream()
                        .map(m -> m.path("label").asString()))
                .doesNotContain("Piratage");
        assertThat(desk.get(settings()).raw().body()).containsPattern("id=\"rules-horizonDays\"[^>]*value=\"90\"");
    }

    /** The value of a hidden field of the page. */
    static String hidden(String page, String name) {
        var matcher = java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"")
                .matcher(page);
        assertThat(matcher.find()).as("hidden field " + name).isTrue();
        return matcher.group(1);
    }

    private ApiClient login(String email) {
        ApiClient client = new ApiClient(port, clock);
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }
}
