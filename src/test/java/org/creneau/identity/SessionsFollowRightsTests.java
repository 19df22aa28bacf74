package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.StaffRole;
import org.creneau.platform.ConflictException;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An open session follows its account's rights at its next request: a role, a membership, a right on
 * an agenda or the disabled flag changed elsewhere (another admin, another node, the database) is
 * what the session's very next request is judged by; a disabled member's or account's sessions are
 * gone.
 */
@IntegrationTest
class SessionsFollowRightsTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    StaffMembers staff;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;
    ApiClient admin;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("pediatre");
        admin = SignIn.staff(port, practice.adminEmail());
    }

    /** A second admin of the practice, signed in (enrolled at her first sign-in); returns her account id. */
    record Member(String accountId, ApiClient session) {}

    Member newMember(String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@test.creneau.fr";
        Response added = admin.post(
                "/api/v1/staff/members",
                Map.of("email", email, "phone", "+33 1 44 00 00 00", "password", Fixtures.PASSWORD, "role", role));
        assertThat(added.status()).isEqualTo(201);
        ApiClient session = new ApiClient(port, clock);
        session.enrolAndLoginStaff(email, Fixtures.PASSWORD);
        return new Member(added.text("accountId"), session);
    }

    int sessionsOf(String accountId) {
        return new JdbcTemplate(owner)
                .queryForObject(
                        "SELECT count(*) FROM spring_session WHERE principal_name = ?", Integer.class, accountId);
    }

    @Test
    void anAdminRemovedMidSessionIsSignedOutAtHerNextApiRequestAndPage() {
        Member other = newMember("ORG_ADMIN");
        assertThat(other.session().get("/api/v1/staff/members").status()).isEqualTo(200);
        assertThat(other.session().get("/cabinet/equipe").status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/staff/members/" + other.accountId()).status())
                .isEqualTo(204);

        assertThat(other.session().get("/api/v1/staff/members").status()).isEqualTo(401);
        Response team = other.session().get("/cabinet/equipe");
        assertThat(team.status()).isEqualTo(302);
        assertThat(team.raw().headers().firstValue("Location").orElseThrow()).endsWith("/connexion");
        assertThat(sessionsOf(other.accountId())).isZero();
    }

    @Test
    void aRoleChangedOutsideTheApplicationIsWhatTheNextRequestIsJudgedBy() {
        Member other = newMember("ORG_ADMIN");
        assertThat(other.session().get("/api/v1/staff/members").status()).isEqualTo(200);

        // As a command, another node or an operator would: straight in the database.
        new JdbcTemplate(owner)
                .update("UPDATE staff_member SET role = 'SECRETARY' WHERE account_id = ?::uuid", other.accountId());

        assertThat(other.session().get("/api/v1/staff/members").status())
                .as("no longer an admin: answered like a route that does not exist")
                .isEqualTo(404);
        Response me = other.session().get("/api/v1/me");
        assertThat(me.status()).as("the session itself goes on").isEqualTo(200);
        assertThat(me.body().path("memberships").get(0).path("role").asString()).isEqualTo("SECRETARY");
        assertThat(other.session().get("/cabinet/equipe").status()).isEqualTo(404);
    }

    @Test
    void aMemberOfTwoPracticesRemovedFromOneKeepsHerSessionForTheOther() {
        Practice second = fixtures.practice("pediatre");
        fixtures.alsoSecretaryOf(practice, second);
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        String secondAgenda = "/api/v1/staff/agendas/" + second.practitionerId() + "/appointments?date=2027-01-04";
        String firstAgenda = "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?date=2027-01-04";
        assertThat(secretary
                        .actingFor(second.organizationId())
                        .get(secondAgenda)
                        .status())
                .isEqualTo(200);

        ApiClient secondAdmin = SignIn.staff(port, second.adminEmail());
        assertThat(secondAdmin
                        .delete("/api/v1/staff/members/" + practice.staffAccountId())
                        .status())
                .isEqualTo(204);

        assertThat(secretary
                        .actingFor(second.organizationId())
                        .get(secondAgenda)
                        .status())
                .isIn(403, 404);
        assertThat(secretary.actingFor(null).get(firstAgenda).status())
                .as("one membership left: no header needed, and the session goes on")
                .isEqualTo(200);
    }

    @Test
    void aSecretaryWhoseRightIsRemovedCannotReadTheAgendaAtHerNextRequest() {
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        String agenda = "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?date=2027-01-04";
        assertThat(secretary.get(agenda).status()).isEqualTo(200);

        admin.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/rights/" + practice.staffAccountId(),
                Map.of("viewAppointments", false, "manageAppointments", false, "manageSettings", false));

        assertThat(secretary.get(agenda).status()).isEqualTo(404);
        assertThat(secretary.get("/cabinet/agenda/" + practice.practitionerId()).status())
                .isEqualTo(404);
    }

    @Test
    void aDisabledAccountsSessionsAreGoneAtTheirNextRequest() {
        ApiClient first = SignIn.staff(port, practice.staffEmail());
        // Each code is accepted once: the second sign-in waits for the next one.
        clock.advance(java.time.Duration.ofSeconds(30));
        ApiClient second = SignIn.staff(port, practice.staffEmail());
        String accountId = practice.staffAccountId().toString();
        assertThat(sessionsOf(accountId)).isEqualTo(2);

        new JdbcTemplate(owner).update("UPDATE account SET disabled = true WHERE id = ?::uuid", accountId);

        assertThat(first.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(second.get("/cabinet").status()).isEqualTo(302);
        assertThat(sessionsOf(accountId)).isZero();
    }

    @Test
    void aDisabledMembersSessionsEndAtOnceAndSheCannotSignInUntilEnabledAgain() {
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        String accountId = practice.staffAccountId().toString();
        assertThat(sessionsOf(accountId)).isEqualTo(1);

        Response disabled = admin.put("/api/v1/staff/members/" + accountId + "/disabled", Map.of("disabled", true));
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.body().path("disabled").asBoolean()).isTrue();
        assertThat(sessionsOf(accountId)).as("ended by the disabling itself").isZero();
        assertThat(secretary.get("/api/v1/me").status()).isEqualTo(401);
        ApiClient again = new ApiClient(port, clock);
        Response password =
                again.post("/api/v1/auth/login", Map.of("email", practice.staffEmail(), "password", Fixtures.PASSWORD));
        assertThat(password.status()).isEqualTo(200);
        Response code =
                again.post("/api/v1/auth/login/second-factor", Map.of("code", again.currentCode(Fixtures.TOTP_SECRET)));
        assertThat(code.status()).isEqualTo(401);

        Response enabled = admin.put("/api/v1/staff/members/" + accountId + "/disabled", Map.of("disabled", false));
        assertThat(enabled.body().path("disabled").asBoolean()).isFalse();
        clock.advance(java.time.Duration.ofSeconds(30));
        ApiClient back = SignIn.staff(port, practice.staffEmail());
        assertThat(back.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?date=2027-01-04")
                        .status())
                .as("her rights were kept")
                .isEqualTo(200);
    }

    @Test
    void anAdminCannotDisableOrRemoveHerself() {
        String adminId = admin.get("/api/v1/me").text("accountId");
        Response disabling = admin.put("/api/v1/staff/members/" + adminId + "/disabled", Map.of("disabled", true));
        assertThat(disabling.status()).isEqualTo(409);
        assertThat(disabling.text("code")).isEqualTo("self");
        assertThat(admin.delete("/api/v1/staff/members/" + adminId).status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/staff/members").status()).isEqualTo(200);
    }

    @Test
    void theLastActiveAdminIsNeverDisabled() {
        UUID adminId = UUID.fromString(admin.get("/api/v1/me").text("accountId"));
        Member other = newMember("ORG_ADMIN");
        assertThat(other.session()
                        .put("/api/v1/staff/members/" + adminId + "/disabled", Map.of("disabled", true))
                        .status())
                .isEqualTo(200);
        assertThat(admin.get("/api/v1/staff/members").status())
                .as("the disabled admin is out")
                .isEqualTo(401);

        // Only a caller other than the last admin can ask (a page or request left over from before).
        Caller.Staff stale = new Caller.Staff(adminId, practice.organizationId(), StaffRole.ORG_ADMIN, null);
        assertThatThrownBy(() -> staff.setDisabled(stale, UUID.fromString(other.accountId()), true))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.code()).isEqualTo("last-admin"));
        assertThat(other.session().get("/api/v1/staff/members").status()).isEqualTo(200);
    }

    @Test
    void onlyTheOrganizationsAdminDisablesItsMembers() {
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        String adminId = admin.get("/api/v1/me").text("accountId");
        assertThat(secretary
                        .put("/api/v1/staff/members/" + adminId + "/disabled", Map.of("disabled", true))
                        .status())
                .isEqualTo(404);
        Practice other = fixtures.practice("pediatre");
        ApiClient otherAdmin = SignIn.staff(port, other.adminEmail());
        assertThat(otherAdmin
                        .put(
                                "/api/v1/staff/members/" + practice.staffAccountId() + "/disabled",
                                Map.of("disabled", true))
                        .status())
                .isEqualTo(404);
        assertThat(secretary.get("/api/v1/me").status()).isEqualTo(200);
    }
}
