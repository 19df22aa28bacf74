package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
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
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The search page over plain HTTP: suggestions without accents, a practitioner at two sites shown
 * once with both, a postcode, a position with distances, and the soonest slot as a booking button.
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
        assertThat(Html.parse(html).all("button", "suggestion").stream().map(b -> b.attr("data-value")))
                .containsExactly("Pédiatre");
        assertThat(visitor.get("/recherche/specialites?specialty=").raw().body())
                .doesNotContain("suggestion\"");
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
        assertThat(card.first("ul", "result-sites").all("li", null)).hasSize(2);
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
