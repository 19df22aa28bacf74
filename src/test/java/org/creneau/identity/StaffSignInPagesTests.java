package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.creneau.support.EnrolmentPages.recoveryCodes;
import static org.creneau.support.EnrolmentPages.secretOf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * The staff sign-in pages over HTTP: a first sign-in enrols an authenticator before the session is
 * signed in, and a lost device is replaced once by each recovery code.
 */
@IntegrationTest
class StaffSignInPagesTests {

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
    void aFirstSignInEnrolsAnAuthenticatorAndIsSignedInOnlyOnceItsCodeConfirmsIt() {
        Practice practice = fixtures.practice("dermatologue");
        String email = fixtures.staffWithoutSecondFactor(practice);
        ApiClient browser = new ApiClient(port, clock);

        ApiClient.Response password =
                browser.postForm("/connexion", Map.of("email", email, "password", Fixtures.PASSWORD));
        assertThat(password.status()).isEqualTo(302);
        assertThat(location(password)).endsWith("/connexion/enrolement");
        assertThat(location(browser.get("/cabinet"))).as("not signed in yet").endsWith("/connexion");

        String page = browser.get("/connexion/enrolement").raw().body();
        String secret = secretOf(page);
        ApiClient.Response qr = browser.get("/connexion/enrolement/qr.svg");
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.contentType()).startsWith("image/svg+xml");
        assertThat(browser.get("/connexion/enrolement").raw().body())
                .as("a reload keeps the same secret")
                .contains(page.substring(
                        page.indexOf("id=\"secret\""), page.indexOf("</code>", page.indexOf("id=\"secret\""))));

        String wrong = ApiClient.totp(secret, clock.instant().plus(Duration.ofMinutes(10)));
        ApiClient.Response refused = browser.postForm("/connexion/enrolement", Map.of("code", wrong));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body()).contains("id=\"code-error\"").contains("aria-describedby=\"code-error\"");
        assertThat(location(browser.get("/cabinet"))).endsWith("/connexion");

        ApiClient.Response confirmed =
                browser.postForm("/connexion/enrolement", Map.of("code", ApiClient.totp(secret, clock.instant())));
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(recoveryCodes(confirmed.raw().body())).hasSize(10);
        assertThat(browser.get("/cabinet").status()).isEqualTo(200);
        assertThat(browser.get("/connexion/enrolement/qr.svg").status())
                .as("the secret left the session")
                .isEqualTo(404);
    }

    @Test
    void aLostDeviceIsReplacedOnceByEachRecoveryCode() {
        Practice practice = fixtures.practice("dermatologue");
        String email = fixtures.staffWithoutSecondFactor(practice);
        ApiClient first = new ApiClient(port, clock);
        first.postForm("/connexion", Map.of("email", email, "password", Fixtures.PASSWORD));
        String secret = secretOf(first.get("/connexion/enrolement").raw().body());
        List<String> codes = recoveryCodes(first.postForm(
                        "/connexion/enrolement", Map.of("code", ApiClient.totp(secret, clock.instant())))
                .raw()
                .body());

        ApiClient lost = new ApiClient(port, clock);
        assertThat(location(lost.postForm("/connexion", Map.of("email", email, "password", Fixtures.PASSWORD))))
                .endsWith("/connexion/code");
        assertThat(lost.get("/connexion/code").raw().body()).contains("href=\"/connexion/secours\"");
        assertThat(lost.get("/connexion/secours").status()).isEqualTo(200);
        ApiClient.Response signedIn = lost.postForm("/connexion/secours", Map.of("recoveryCode", codes.get(3)));
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(location(signedIn)).endsWith("/cabinet");
        assertThat(lost.get("/cabinet").status()).isEqualTo(200);

        ApiClient again = new ApiClient(port, clock);
        again.postForm("/connexion", Map.of("email", email, "password", Fixtures.PASSWORD));
        ApiClient.Response refused = again.postForm("/connexion/secours", Map.of("recoveryCode", codes.get(3)));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().body()).contains("id=\"recovery-error\"");
        assertThat(location(again.get("/cabinet"))).endsWith("/connexion");
    }

    @Test
    void theRecoveryPageWithoutAPendingSignInSendsBackToThePassword() {
        ApiClient anonymous = new ApiClient(port, clock);
        assertThat(location(anonymous.get("/connexion/secours"))).endsWith("/connexion");
        assertThat(location(anonymous.get("/connexion/enrolement"))).endsWith("/connexion");
        assertThat(anonymous.get("/connexion/enrolement/qr.svg").status()).isEqualTo(404);
    }

    private static String location(ApiClient.Response response) {
        return response.raw().headers().firstValue("Location").orElse("");
    }
}
