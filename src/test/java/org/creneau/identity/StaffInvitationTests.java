package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.notifications.Mails;
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
import tools.jackson.databind.JsonNode;

/**
 * Staff invitations end to end: an organization's admin invites by email with a role and agenda
 * rights, the mailed link (single use, 7 days) lets a new person set a password and enrol an
 * authenticator, or an existing staff account join once signed in; revoked and expired links are
 * refused; only an admin invites.
 */
@IntegrationTest
class StaffInvitationTests {

    static final String SUBJECT = "Créneau : invitation à rejoindre une équipe";

    @LocalServerPort
    int port;

    @Autowired
    GreenMail smtp;

    @Autowired
    MutableClock clock;

    @Autowired
    Fixtures fixtures;

    @BeforeEach
    void startOfTheWeek() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void aNewPersonAcceptsSetsAPasswordEnrolsAnAuthenticatorAndHasTheInvitedRights() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient admin = admin(practice);
        String email = email("nouvelle");
        Response invited = admin.post(
                "/api/v1/staff/invitations",
                Map.of(
                        "email",
                        email,
                        "role",
                        "SECRETARY",
                        "agendaRights",
                        List.of(Map.of(
                                "practitionerId",
                                practice.practitionerId(),
                                "rights",
                                List.of("VIEW_APPOINTMENTS", "MANAGE_APPOINTMENTS")))));
        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.text("state")).isEqualTo("PENDING");

        MimeMessage mail = invitationTo(email);
        String token = AccountLinkTests.token(mail, "/connexion/invitation/");
        assertThat(Mails.part(mail, "text/plain")).containsAnyOf("secrétaire", "secretary");

        ApiClient person = new ApiClient(port, clock);
        assertThat(person.get("/connexion/invitation/" + token).status()).isEqualTo(200);
        Response accepted = person.postForm(
                "/connexion/invitation/" + token, Map.of("phone", "06 12 34 56 78", "password", Fixtures.PASSWORD));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.raw().body()).contains("id=\"invitation-joined\"");

        // The first sign-in enrols the authenticator, as for every new staff account.
        person.enrolAndLoginStaff(email, Fixtures.PASSWORD);
        assertThat(person.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from="
                                + TestConfiguration.MONDAY_MORNING + "&to="
                                + TestConfiguration.MONDAY_MORNING.plus(Duration.ofDays(1)))
                        .status())
                .isEqualTo(200);
        JsonNode grants = admin.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/rights")
                .body();
        assertThat(grants.toString()).contains("MANAGE_APPOINTMENTS");

        assertThat(invitation(admin, invited.text("id")).path("state").asString())
                .isEqualTo("ACCEPTED");
        assertThat(new ApiClient(port).get("/connexion/invitation/" + token).status())
                .isEqualTo(410);
        assertThat(new ApiClient(port)
                        .postForm(
                                "/connexion/invitation/" + token,
                                Map.of("phone", "06 12 34 56 78", "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(410);
    }

    @Test
    void anExistingStaffAccountJoinsOnceSignedIn() throws Exception {
        Practice inviting = fixtures.practice("dermatologue");
        Practice other = fixtures.practice("dermatologue");
        ApiClient admin = admin(inviting);
        String invitationId = admin.post(
                        "/api/v1/staff/invitations", Map.of("email", other.staffEmail(), "role", "SECRETARY"))
                .text("id");
        String token = AccountLinkTests.token(invitationTo(other.staffEmail()), "/connexion/invitation/");

        // Not signed in, the account cannot be made again: it is asked to sign in first.
        Response anonymous = new ApiClient(port)
                .postForm(
                        "/connexion/invitation/" + token,
                        Map.of("phone", "06 12 34 56 78", "password", "Un-mot-de-passe-de-pirate"));
        assertThat(anonymous.status()).isEqualTo(409);

        ApiClient member = new ApiClient(port, clock);
        member.loginStaff(other.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        Response joined = member.postForm("/connexion/invitation/" + token + "/rejoindre", Map.of());
        assertThat(joined.status()).isEqualTo(200);
        assertThat(joined.raw().body()).contains("id=\"invitation-joined\"");

        assertThat(admin.get("/api/v1/staff/members?size=50").body().toString()).contains(other.staffEmail());
        assertThat(invitation(admin, invitationId).path("state").asString()).isEqualTo("ACCEPTED");
    }

    @Test
    void aRevokedInvitationsLinkIsRefused() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient admin = admin(practice);
        String email = email("revoquee");
        String id = admin.post("/api/v1/staff/invitations", Map.of("email", email, "role", "SECRETARY"))
                .text("id");
        String token = AccountLinkTests.token(invitationTo(email), "/connexion/invitation/");

        assertThat(admin.delete("/api/v1/staff/invitations/" + id).status()).isEqualTo(204);

        assertThat(new ApiClient(port).get("/connexion/invitation/" + token).status())
                .isEqualTo(410);
        assertThat(new ApiClient(port)
                        .postForm(
                                "/connexion/invitation/" + token,
                                Map.of("phone", "06 12 34 56 78", "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(410);
        assertThat(invitation(admin, id).path("state").asString()).isEqualTo("REVOKED");
        assertThat(new ApiClient(port)
                        .post("/api/v1/auth/login", Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void anInvitationsLinkExpiresAfterSevenDays() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient admin = admin(practice);
        String email = email("expiree");
        String id = admin.post("/api/v1/staff/invitations", Map.of("email", email, "role", "SECRETARY"))
                .text("id");
        String token = AccountLinkTests.token(invitationTo(email), "/connexion/invitation/");

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(new ApiClient(port)
                        .postForm(
                                "/connexion/invitation/" + token,
                                Map.of("phone", "06 12 34 56 78", "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(410);
        // A week later the admin's session has ended too: a new sign-in.
        assertThat(invitation(admin(practice), id).path("state").asString()).isEqualTo("EXPIRED");
    }

    @Test
    void aSecretaryCannotInviteNorSeeTheInvitations() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient secretary = new ApiClient(port, clock);
        secretary.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);

        Response refused =
                secretary.post("/api/v1/staff/invitations", Map.of("email", email("intrus"), "role", "ORG_ADMIN"));
        assertThat(refused.status()).isIn(403, 404);
        assertThat(secretary.get("/api/v1/staff/invitations").status()).isIn(403, 404);
    }

    @Test
    void anotherOrganizationsInvitationCannotBeRevoked() {
        Practice practice = fixtures.practice("dermatologue");
        Practice other = fixtures.practice("dermatologue");
        ApiClient admin = admin(practice);
        String id = admin.post("/api/v1/staff/invitations", Map.of("email", email("autre"), "role", "SECRETARY"))
                .text("id");
        assertThat(admin(other).delete("/api/v1/staff/invitations/" + id).status())
                .isEqualTo(404);
        assertThat(invitation(admin, id).path("state").asString()).isEqualTo("PENDING");
    }

    /**
     * The invitation mailed to a fresh address (its first mail), in the language of the admin who
     * invited: the fixture's accounts take the test machine's.
     */
    private MimeMessage invitationTo(String email) throws Exception {
        MimeMessage mail = Mails.awaitMailTo(smtp, email, 1);
        assertThat(mail.getSubject()).isIn(SUBJECT, "Créneau: an invitation to join a team");
        return mail;
    }

    private ApiClient admin(Practice practice) {
        ApiClient admin = new ApiClient(port, clock);
        admin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return admin;
    }

    private static JsonNode invitation(ApiClient admin, String id) {
        for (JsonNode item :
                admin.get("/api/v1/staff/invitations?size=50").body().path("items")) {
            if (item.path("id").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("invitation " + id + " not listed");
    }

    private static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }
}
