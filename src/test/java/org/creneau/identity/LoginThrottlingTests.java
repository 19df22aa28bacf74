package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class LoginThrottlingTests {

    static final String LOGIN = "/api/v1/auth/login";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        forgetFailedLogins();
    }

    @AfterEach
    void forgetFailedLogins() {
        // Every test signs in from the same address: its failures must not throttle other tests.
        new JdbcTemplate(owner).update("DELETE FROM login_throttle");
    }

    String patient() {
        String email = "p-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient client = new ApiClient(port);
        client.registerAndLogin(email);
        return email;
    }

    Response attempt(String email, String password) {
        return new ApiClient(port).post(LOGIN, Map.of("email", email, "password", password));
    }

    Response wrongPassword(String email) {
        return attempt(email, "not-the-password-" + UUID.randomUUID());
    }

    @Test
    void afterFiveFailuresEvenTheRightPasswordWaitsThirtySeconds() {
        String email = patient();
        for (int i = 0; i < 5; i++) {
            assertThat(wrongPassword(email).status()).isEqualTo(401);
        }

        Response throttled = attempt(email, Fixtures.PASSWORD);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue("30");
        assertThat(throttled.contentType()).startsWith("application/problem+json");
        assertThat(throttled.body().path("status").asInt()).isEqualTo(429);
        assertThat(throttled.text("code")).isEqualTo("too-many-attempts");

        clock.advance(Duration.ofSeconds(29));
        Response stillThrottled = attempt(email, Fixtures.PASSWORD);
        assertThat(stillThrottled.status()).isEqualTo(429);
        assertThat(stillThrottled.raw().headers().firstValue("Retry-After")).hasValue("1");

        clock.advance(Duration.ofSeconds(1));
        Response signedIn = attempt(email, Fixtures.PASSWORD);
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.text("kind")).isEqualTo("PATIENT");
    }

    @Test
    void eachFailureOverTheLimitDoublesTheDelayUpToOneHour() {
        String email = patient();
        for (int i = 0; i < 4; i++) {
            wrongPassword(email);
        }
        long[] expected = {30, 60, 120, 240, 480, 960, 1920, 3600, 3600};
        for (long seconds : expected) {
            assertThat(wrongPassword(email).status()).isEqualTo(401);
            Response throttled = wrongPassword(email);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue(Long.toString(seconds));
            clock.advance(Duration.ofSeconds(seconds));
        }
    }

    @Test
    void aSuccessfulSignInStartsTheAccountFromNoFailure() {
        String email = patient();
        for (int i = 0; i < 4; i++) {
            assertThat(wrongPassword(email).status()).isEqualTo(401);
        }
        assertThat(attempt(email, Fixtures.PASSWORD).status()).isEqualTo(200);

        for (int i = 0; i < 4; i++) {
            assertThat(wrongPassword(email).status()).isEqualTo(401);
        }
        assertThat(attempt(email, Fixtures.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void failuresAreForgottenAfterAQuietWindow() {
        String email = patient();
        for (int i = 0; i < 4; i++) {
            wrongPassword(email);
        }
        clock.advance(Duration.ofMinutes(16));
        assertThat(wrongPassword(email).status()).isEqualTo(401);
        assertThat(attempt(email, Fixtures.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void anUnknownAddressIsThrottledLikeAnAccountSoTheAnswersTellNothing() {
        String nobody = "nobody-" + UUID.randomUUID() + "@test.creneau.fr";
        for (int i = 0; i < 5; i++) {
            assertThat(wrongPassword(nobody).status()).isEqualTo(401);
        }
        Response throttled = wrongPassword(nobody.toUpperCase());
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    void twentyFailuresFromOneClientAddressThrottleEveryAccountFromIt() {
        String email = patient();
        for (int i = 0; i < 20; i++) {
            assertThat(wrongPassword("guess-" + i + "-" + UUID.randomUUID() + "@test.creneau.fr")
                            .status())
                    .isEqualTo(401);
        }

        Response throttled = attempt(email, Fixtures.PASSWORD);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue("30");

        clock.advance(Duration.ofSeconds(30));
        assertThat(attempt(email, Fixtures.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void failedSecondFactorsCountAndThrottleTheAccount() {
        Practice practice = fixtures.practice("cardiologue");
        ApiClient client = new ApiClient(port, clock);
        Response pending = client.post(LOGIN, Map.of("email", practice.staffEmail(), "password", Fixtures.PASSWORD));
        assertThat(pending.text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        String right = client.currentCode(Fixtures.TOTP_SECRET);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 500_000) % 1_000_000);
        for (int i = 0; i < 5; i++) {
            assertThat(client.post("/api/v1/auth/login/second-factor", Map.of("code", wrong))
                            .status())
                    .isEqualTo(401);
        }

        Response throttled = client.post("/api/v1/auth/login/second-factor", Map.of("code", right));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue("30");
        assertThat(attempt(practice.staffEmail(), Fixtures.PASSWORD).status()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(30));
        assertThat(client.post(
                                "/api/v1/auth/login/second-factor",
                                Map.of("code", client.currentCode(Fixtures.TOTP_SECRET)))
                        .status())
                .isEqualTo(200);
    }
}
