package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The team page over HTTP: only the organization's admin opens it (anyone else gets 404 and changes
 * nothing), a member is added with the API's validation, a grid row changes rights agenda by agenda,
 * and a removed member's open session is signed out at once.
 */
@IntegrationTest
class TeamPagesTests {

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
    void onlyTheOrganizationsAdminOpensTheTeamRoutesAndOthersGet404WithNothingChanged() {
        Practice practice = fixtures.practice("dermatologue");
        Practice other = fixtures.practice("pediatre");
        String memberPath = "/cabinet/equipe/" + practice.staffAccountId();

        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        assertThat(secretary.get("/cabinet/equipe").status()).isEqualTo(404);
        assertThat(secretary.postForm(memberPath + "/retirer", Map.of()).status())
                .isEqualTo(404);

        ApiClient stranger = SignIn.staff(port, other.adminEmail());
        assertThat(stranger.get("/cabinet/equipe").status()).isEqualTo(200);
        assertThat(stranger.get("/cabinet/equipe").raw().body()).doesNotContain(practice.staffEmail());
        assertThat(stranger.postForm(memberPath + "/retirer", Map.of()).status())
                .isEqualTo(404);
        assertThat(stranger.postForm(memberPath + "/droits", Map.of()).status()).isEqualTo(404);
        assertThat(stranger.postForm(
                                memberPath + "/droits",
                                Map.of("agenda-" + practice.practitionerId(), "MANAGE_SETTINGS"))
                        .status())
                .isEqualTo(404);

        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        assertThat(memberEmails(admin)).contains(practice.staffEmail());
        assertThat(rightsOf(
                        admin,
                        practice,
                        practice.practitionerId(),
                        practice.staffAccountId().toString()))
                .hasSize(3);
    }

    @Test
    void aMemberIsAddedWithTheApisValidationAndErrorsAreTiedToTheirFields() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        String email = PageChecks.newEmail("secretariat");

        ApiClient.Response refused = admin.postForm(
                "/cabinet/equipe",
                Map.of("email", email, "phone", "+33 1 23 45 67 89", "password", "short", "role", "SECRETARY"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body())
                .contains("id=\"password-error\"")
                .contains("aria-describedby=\"password-error password-hint\"")
                .contains("value=\"" + email + "\"");
        ApiClient.Response practitionerWithoutAgenda = admin.postForm(
                "/cabinet/equipe",
                Map.of(
                        "email",
                        email,
                        "phone",
                        "+33 1 23 45 67 89",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "PRACTITIONER"));
        assertThat(practitionerWithoutAgenda.status()).isEqualTo(400);
        assertThat(practitionerWithoutAgenda.raw().body()).contains("id=\"practitionerId-error\"");
        assertThat(memberEmails(admin)).doesNotContain(email);

        ApiClient.Response added = admin.postForm(
                "/cabinet/equipe",
                Map.of(
                        "email",
                        email,
                        "phone",
                        "+33 1 23 45 67 89",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "SECRETARY"));
        assertThat(added.status()).isEqualTo(302);
        assertThat(memberEmails(admin)).contains(email);

        ApiClient.Response again = admin.postForm(
                "/cabinet/equipe",
                Map.of(
                        "email",
                        email,
                        "phone",
                        "+33 1 23 45 67 89",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "SECRETARY"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.raw().body()).contains("id=\"email-error\"");
    }

    @Test
    void savingAGridRowSetsTheRightsOfEachAgendaThatChanged() {
        Practice practice = fixtures.practice("dermatologue");
        SecondAgenda second = fixtures.secondPractitioner(practice, true);
        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        String secretary = practice.staffAccountId().toString();

        ApiClient.Response saved = admin.postForm(
                "/cabinet/equipe/" + secretary + "/droits",
                Map.of("agenda-" + practice.practitionerId(), "VIEW_APPOINTMENTS"));

        assertThat(saved.status()).isEqualTo(302);
        assertThat(rightsOf(admin, practice, practice.practitionerId(), secretary))
                .extracting(JsonNode::asString)
                .containsExactly("VIEW_APPOINTMENTS");
        assertThat(rightsOf(admin, practice, second.practitionerId(), secretary))
                .as("no box ticked on the second agenda: every right there is gone")
                .isEmpty();
        String page = admin.get("/cabinet/equipe").raw().body();
        String cell = "right-" + secretary + "-" + practice.practitionerId() + "-";
        assertThat(checkbox(page, cell + "VIEW_APPOINTMENTS")).contains("checked");
        assertThat(checkbox(page, cell + "MANAGE_APPOINTMENTS")).doesNotContain("checked");
    }

    /** The whole {@code <input>} tag of the checkbox with this id. */
    private static String checkbox(String page, String id) {
        int at = page.indexOf("id=\"" + id + "\"");
        assertThat(at).as(id).isPositive();
        return page.substring(page.lastIndexOf("<input", at), page.indexOf(">", at) + 1);
    }

    @Test
    void aRemovedMembersOpenSessionIsSignedOutOnItsNextRequest() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        assertThat(secretary.get("/cabinet").status()).isEqualTo(200);

        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        assertThat(admin.postForm("/cabinet/equipe/" + practice.staffAccountId() + "/retirer", Map.of())
                        .status())
                .isEqualTo(302);

        ApiClient.Response page = secretary.get("/cabinet");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.raw().headers().firstValue("Location").orElseThrow()).endsWith("/connexion");
        assertThat(secretary
                        .get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?date=2027-01-04")
                        .status())
                .isEqualTo(401);
        assertThat(memberEmails(admin)).doesNotContain(practice.staffEmail());
    }

    private static List<String> memberEmails(ApiClient admin) {
        List<String> emails = new ArrayList<>();
        for (JsonNode member : admin.get("/api/v1/staff/members?size=50").body().get("items")) {
            emails.add(member.get("email").asString());
        }
        return emails;
    }

    private static JsonNode rightsOf(ApiClient admin, Practice practice, UUID agenda, String accountId) {
        for (JsonNode grant :
                admin.get("/api/v1/staff/agendas/" + agenda + "/rights").body()) {
            if (grant.get("accountId").asString().equals(accountId)) {
                return grant.get("rights");
            }
        }
        return MissingNode.getInstance();
    }
}
