package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.creneau.support.ApiClient;
import org.creneau.support.EnrolmentPages;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * "My security" over HTTP: signing out everywhere ends every session of the account, new recovery
 * codes need a current code and void the old ones, and a password change checks the current one.
 */
@IntegrationTest
class SecurityPagesTests {

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
    void signingOutEverywhereEndsEverySessionOfTheAccount() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient desk = SignIn.staff(port, practice.staffEmail());
        clock.advance(Duration.ofSeconds(30));
        ApiClient tablet = SignIn.staff(port, practice.staffEmail());
        ApiClient colleague = SignIn.staff(port, practice.adminEmail());

        ApiClient.Response out = tablet.postForm("/cabinet/securite/deconnexion-partout", Map.of());

        assertThat(out.status()).isEqualTo(302);
        assertThat(location(out)).endsWith("/connexion?deconnecte");
        assertThat(location(tablet.get("/cabinet"))).endsWith("/connexion");
        assertThat(location(desk.get("/cabinet"))).endsWith("/connexion");
        assertThat(colleague.get("/cabinet").status())
                .as("another account keeps its session")
                .isEqualTo(200);
    }

    @Test
    void newRecoveryCodesNeedACurrentCodeAndVoidTheOldOnes() {
        Practice practice = fixtures.practice("dermatologue");
        String email = fixtures.staffWithoutSecondFactor(practice);
        ApiClient first = new ApiClient(port, clock);
        String secret = first.enrolAndLoginStaff(email, Fixtures.PASSWORD);

        ApiClient.Response wrong = first.postForm(
                "/cabinet/securite/codes-de-secours",
                Map.of("code", ApiClient.totp(secret, clock.instant().plus(Duration.ofMinutes(10)))));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.raw().body()).contains("id=\"code-error\"").contains("aria-invalid=\"true\"");

        clock.advance(Duration.ofSeconds(30));
        ApiClient.Response renewed = first.postForm(
                "/cabinet/securite/codes-de-secours", Map.of("code", ApiClient.totp(secret, clock.instant())));
        assertThat(renewed.status()).isEqualTo(200);
        List<String> codes = EnrolmentPages.recoveryCodes(renewed.raw().body());
        assertThat(codes).hasSize(10);

        ApiClient lost = new ApiClient(port, clock);
        lost.postForm("/connexion", Map.of("email", email, "password", Fixtures.PASSWORD));
        assertThat(location(lost.postForm("/connexion/secours", Map.of("recoveryCode", codes.get(0)))))
                .endsWith("/cabinet");
    }

    @Test
    void aPasswordChangeChecksTheCurrentPasswordAndThePolicy() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());

        ApiClient.Response wrongCurrent = secretary.postForm(
                "/cabinet/securite/mot-de-passe",
                Map.of("currentPassword", "not-the-password", "newPassword", "another-long-passphrase-42"));
        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(wrongCurrent.raw().body()).contains("id=\"currentPassword-error\"");

        ApiClient.Response tooShort = secretary.postForm(
                "/cabinet/securite/mot-de-passe", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.raw().body()).contains("id=\"newPassword-error\"");

        ApiClient.Response changed = secretary.postForm(
                "/cabinet/securite/mot-de-passe",
                Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "another-long-passphrase-42"));
        assertThat(changed.status()).isEqualTo(302);
        assertThat(secretary.get("/cabinet/securite").raw().body()).contains("id=\"done\"");
        ApiClient.Response oldPassword = new ApiClient(port, clock)
                .postForm("/connexion", Map.of("email", practice.staffEmail(), "password", Fixtures.PASSWORD));
        assertThat(oldPassword.status()).isEqualTo(401);
    }

    @Test
    void aPatientFindsNoStaffSecurityPage() {
        ApiClient patient = new ApiClient(port, clock);
        patient.registerAndLogin(PageChecks.newEmail("patient"));
        assertThat(patient.get("/cabinet/securite").status()).isEqualTo(404);
    }

    private static String location(ApiClient.Response response) {
        return response.raw().headers().firstValue("Location").orElse("");
    }
}
