package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.directory.DirectoryAdministration;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The search page over plain HTTP: suggestions without accents, a practitioner at two sites shown
 * once with both, a postcode, a position with distances, and each site's next slots as booking
 * buttons.
 */
@IntegrationTest
class SearchPageTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    DirectoryAdministration directory;

    @Autowired
    AgendaSettings agendas;

    @Autowired
    TenantScope scope;

    ApiClient visitor;

    @BeforeEach
    void open() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        visitor = new ApiClient(port);
    }

    @Test
    void typingPediatreWithoutAccentSuggestsPediatre() {
        String html =
                visitor.get("/recherche/specialites?specialty=pediatre").raw().body();
        Html list = Html.parse(html).first("ul", "suggestions");
        assertThat(list.attr("role")).isEqualTo("listbox");
        assertThat(list.attr("data-status"))
                .isEqualTo("1 spécialité correspond : flèche bas pour la choisir, Entrée pour rechercher.");
        assertThat(list.all("li", "suggestion").stream()
                        .map(o -> o.attr("role") + " " + o.attr("id") + " " + o.attr("data-value")))
                .containsExactly("option specialty-option-0 Pédiatre");
        Html none = Html.parse(
                        visitor.get("/recherche/specialites?specialty=").raw().body())
                .first("ul", "suggestions");
        assertThat(none.all("li", "suggestion")).isEmpty();
        assertThat(none.attr("hidden")).isNotNull();
    }

    @Test
    void aPractitionerAtTwoSitesAppearsOnceWithBothFoundByPostcodeOrPositionWithDistances() {
        String city = "Deuxsites" + UUID.randomUUID().toString().substring(0, 8);
        Practice practice = fixtures.practice("sage-femme", city, 45.0, 5.0);
        String postcode = String.format("%05d", Math.abs(city.hashCode()) % 100000);
        scope.write(new Caller.System(practice.organizationId()), () -> {
            UUID second = directory.createSite(
                    practice.organizationId(),
                    new DirectoryAdministration.NewSite(
                            "Annexe", "2 place du Test", postcode, city, 45.01, 5.0, Fixtures.PARIS));
            agendas.addOpeningRange(
                    practice.organizationId(),
                    new AgendaSettings.NewOpeningRange(
                            practice.practitionerId(),
                            second,
                            DayOfWeek.MONDAY,
                            LocalTime.of(14, 0),
                            LocalTime.of(16, 0),
                            LocalDate.of(2026, 1, 1),
                            null,
                            List.of(practice.motiveId())));
        });

        Html byCity = page("/recherche?specialty=sage-femme&city=" + city);
        Html card = only(byCity, practice.practitionerId());
        assertThat(card.first("ul", "result-sites").all("li", "site")).hasSize(2);
        assertThat(card.all("span", "distance")).as("no position, no distance").isEmpty();
        // The soonest slot is a button of a POST form that starts the booking.
        Html form = card.first("form", "next-slot");
        Html slot = form.first("button", "slot");
        assertThat(slot.attr("value")).isEqualTo("2027-01-04T08:00:00Z");
        assertThat(slot.text()).isEqualTo("lundi 4 janvier 09:00");
        assertThat(form.all("input", null).stream().map(i -> i.attr("name") + "=" + i.attr("value")))
                .contains("motiveId=" + practice.motiveId(), "siteId=" + practice.siteId())
                .anySatisfy(csrf -> assertThat(csrf).startsWith("_csrf="));

        Html byPostcode = only(page("/recherche?specialty=Sage-femme&city=" + postcode), practice.practitionerId());
        assertThat(byPostcode.first("ul", "result-sites").text()).contains("Annexe");

        Html around = page("/recherche?specialty=sage+femme&lat=45.0&lon=5.0");
        assertThat(only(around, practice.practitionerId()).all("span", "distance").stream()
                        .map(Html::text))
                .containsExactly("(à 0,0 km)", "(à 1,1 km)");
        assertThat(around.first("section", null).first("h2", null).text()).endsWith("autour de vous");
    }

    @Test
    void aPractitionersNextFreeSlotsAreButtonsInOrderAndFollowingOneHoldsThatSlot() {
        String city = "Plusieurs" + UUID.randomUUID().toString().substring(0, 8);
        Practice practice = fixtures.practice("osteopathe", city, 44.0, 1.0);
        ApiClient other = new ApiClient(port);
        other.registerAndLogin(PageChecks.newEmail("other"));
        // The soonest slot is taken by someone else: the buttons start at the next one.
        assertThat(other.post(
                                "/api/v1/appointments",
                                Map.of(
                                        "practitionerId", practice.practitionerId(),
                                        "siteId", practice.siteId(),
                                        "motiveId", practice.motiveId(),
                                        "start", "2027-01-04T08:00:00Z"))
                        .status())
                .isEqualTo(201);

        Html card = only(page("/recherche?specialty=osteopathe&city=" + city), practice.practitionerId());
        List<Html> forms = card.all("form", "next-slot");
        assertThat(forms.stream().map(f -> f.first("button", "slot").attr("value")))
                .containsExactly("2027-01-04T08:30:00Z", "2027-01-04T09:00:00Z", "2027-01-04T09:30:00Z");
        assertThat(forms.stream().map(f -> f.first("button", "slot").text()))
                .containsExactly("lundi 4 janvier 09:30", "lundi 4 janvier 10:00", "lundi 4 janvier 10:30");
        assertThat(card.first("button", "slot").attr("aria-label"))
                .isEqualTo("Réserver le lundi 4 janvier 09:30 avec "
                        + card.first("h3", null).text() + " ("
                        + card.first("p", "site-place").first("span", null).text() + ")");

        // Following the second button holds that slot, not the soonest one.
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(PageChecks.newEmail("slots"));
        Html second = forms.get(1);
        Map<String, String> fields = new LinkedHashMap<>();
        second.all("input", null).stream()
                .filter(i -> !i.attr("name").equals("_csrf"))
                .forEach(i -> fields.put(i.attr("name"), i.attr("value")));
        fields.put("start", second.first("button", "slot").attr("value"));
        ApiClient.Response chosen = patient.postForm("/reservation", fields);
        assertThat(chosen.status()).isEqualTo(302);
        assertThat(chosen.raw().headers().firstValue("Location").orElseThrow()).endsWith("/reservation");
        List<JsonNode> mine = patient.get("/api/v1/me/appointments?from=2027-01-04&to=2027-01-05")
                .body()
                .path("items")
                .valueStream()
                .toList();
        assertThat(mine).hasSize(1);
        JsonNode held = mine.get(0);
        assertThat(held.path("status").asString()).isEqualTo("HELD");
        assertThat(held.path("start").asString()).isEqualTo("2027-01-04T09:00:00Z");
        assertThat(held.path("motiveId").asString())
                .isEqualTo(practice.motiveId().toString());
    }

    @Test
    void anUnknownSpecialtyOrNoPlaceIsSaidPlainly() {
        assertThat(page("/recherche?specialty=astrologue&city=Paris")
                        .first("p", "error")
                        .text())
                .isEqualTo("Choisissez une spécialité.");
        assertThat(page("/recherche?specialty=pediatre&city=")
                        .first("p", "error")
                        .text())
                .isEqualTo("Indiquez une ville.");
    }

    private Html page(String path) {
        ApiClient.Response response = visitor.get(path);
        assertThat(response.status()).isEqualTo(200);
        return Html.parse(response.raw().body());
    }

    private static Html only(Html results, UUID practitionerId) {
        List<Html> cards = results.all("li", "result").stream()
                .filter(c -> c.first("h3", null).first("a", null).attr("href").endsWith(practitionerId.toString()))
                .toList();
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }
}
