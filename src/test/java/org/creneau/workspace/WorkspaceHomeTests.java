package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The workspace's first page lists exactly the agendas a staff member holds a right on, in the
 * person's language, and sends a browser without a session to the sign-in page.
 */
@IntegrationTest
class WorkspaceHomeTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void aSecretaryIsShownOnlyTheAgendasSheHoldsARightOn() {
        Practice practice = fixtures.practice("dermatologue");
        SecondAgenda hidden = fixtures.secondPractitioner(practice, false);

        String page =
                SignIn.staff(port, practice.staffEmail()).get("/cabinet").raw().body();

        assertThat(page).contains("id=\"agenda-" + practice.practitionerId() + "\"");
        assertThat(page).doesNotContain(hidden.practitionerId().toString());
        assertThat(page).contains("/cabinet/agenda/" + practice.practitionerId() + "/reglages");
    }

    @Test
    void aMemberWithoutRightsIsToldSoAndSeesNoAgenda() {
        Practice practice = fixtures.practice("dermatologue");

        ApiClient member = SignIn.staff(port, practice.noRightsEmail());
        String page = member.get("/cabinet").raw().body();

        assertThat(page).contains("id=\"no-agenda\"");
        assertThat(page).doesNotContain(practice.practitionerId().toString());
        assertThat(page).doesNotContain("id=\"nav-team\"");
    }

    @Test
    void theOrganizationAdminSeesTheTeamLinkAndTheEnglishPageOnAsking() {
        Practice practice = fixtures.practice("dermatologue");
        clock.advance(Duration.ofSeconds(30));

        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        String french = admin.get("/cabinet").raw().body();
        String english = admin.get("/cabinet?lang=en").raw().body();

        assertThat(french).contains("id=\"nav-team\"").contains("<html lang=\"fr\"");
        assertThat(english).contains("<html lang=\"en\"").contains("My security");
    }

    @Test
    void withoutASessionTheWorkspaceSendsToTheSignInPage() {
        ApiClient.Response response = new ApiClient(port).get("/cabinet");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.raw().headers().firstValue("Location").orElseThrow())
                .endsWith("/connexion");
    }
}
