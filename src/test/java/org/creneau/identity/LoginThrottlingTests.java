package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

/**
 * Failed sign-ins slow whoever makes them without locking the account's owner out: each attempt is
 * counted before its secret is checked, per account and address, per account and known device, per
 * account from every unknown device, and per address (an IPv6 /64).
 */
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

    /** Sends the same request 20 times at once, each on its own connection; the statuses. */
    static List<Integer> inParallel(Callable<Integer> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aBurstOfTwentyParallelWrongPasswordsHasOnlyFiveChecked() throws Exception {
        String email = patient();

        List<Integer> statuses = inParallel(() -> wrongPassword(email).status());

        assertThat(statuses)
                .filteredOn(s -> s == 401)
                .as("checked: counted before the check")
                .hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
        assertThat(attempt(email, Fixtures.PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void aBurstOfTwentyParallelWrongCodesHasOnlyFiveChecked() throws Exception {
        Practice practice = fixtures.practice("cardiologue");
        ApiClient client = new ApiClient(port, clock);
        Response pending = client.post(LOGIN, Map.of("email", practice.staffEmail(), "password", Fixtures.PASSWORD));
        assertThat(pending.text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        String right = client.currentCode(Fixtures.TOTP_SECRET);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 500_000) % 1_000_000);

        List<Integer> statuses = inParallel(() -> client.post("/api/v1/auth/login/second-factor", Map.of("code", wrong))
                .status());

        assertThat(statuses).filteredOn(s -> s == 401).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
        assertThat(client.post("/api/v1/auth/login/second-factor", Map.of("code", right))
                        .status())
                .isEqualTo(429);
    }

    @Test
    void aGuesserAtOneAddressDoesNotLockTheOwnerOutFromAnother() {
        String email = patient();
        for (int i = 0; i < 5; i++) {
            assertThat(new ApiClient(port)
                            .from("203.0.113.9")
                            .post(LOGIN, Map.of("email", email, "password", "guess-" + i))
                            .status())
                    .isEqualTo(401);
        }
        assertThat(new ApiClient(port)
                        .from("203.0.113.9")
                        .post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .as("the guesser's address waits, even with the right password")
                .isEqualTo(429);

        assertThat(new ApiClient(port)
                        .from("198.51.100.9")
                        .post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .as("the owner, elsewhere, is not locked out")
                .isEqualTo(200);
    }

    @Test
    void theOwnersKnownDeviceStillGetsInWhileAGuesserFromManyAddressesIsThrottled() {
        String email = "p-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient owner = new ApiClient(port).from("198.51.100.10");
        owner.registerAndLogin(email);
        assertThat(owner.cookie("CRENEAU_DEVICE"))
                .as("the device is remembered")
                .isNotNull();
        assertThat(owner.post("/api/v1/auth/logout", null).status()).isEqualTo(204);

        // Ten wrong guesses from ten addresses: each pair is under its limit, unknown devices are not.
        for (int i = 1; i <= 10; i++) {
            assertThat(new ApiClient(port)
                            .from("203.0.113." + i)
                            .post(LOGIN, Map.of("email", email, "password", "guess-" + i))
                            .status())
                    .isEqualTo(401);
        }
        assertThat(new ApiClient(port)
                        .from("203.0.113.11")
                        .post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .as("any unknown device waits now, even with the right password")
                .isEqualTo(429);

        assertThat(owner.post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .as("the device the owner signed in from before still gets in")
                .isEqualTo(200);
    }

    @Test
    void aDeviceCookieTheServerNeverIssuedIsNoKnownDevice() {
        String email = patient();
        for (int i = 1; i <= 10; i++) {
            new ApiClient(port).from("203.0.113." + (60 + i)).post(LOGIN, Map.of("email", email, "password", "guess"));
        }
        assertThat(new ApiClient(port)
                        .from("203.0.113.90")
                        .withCookie("CRENEAU_DEVICE", "A".repeat(43))
                        .post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(429);
    }

    @Test
    void anIpv6GuesserIsCountedByItsSlash64AcrossAccounts() {
        for (int i = 1; i <= 20; i++) {
            assertThat(new ApiClient(port)
                            .from("2001:db8:aa:1::" + Integer.toHexString(i))
                            .post(
                                    LOGIN,
                                    Map.of("email", "guess-" + UUID.randomUUID() + "@test.creneau.fr", "password", "x"))
                            .status())
                    .isEqualTo(401);
        }
        String email = patient();
        assertThat(new ApiClient(port)
                        .from("2001:db8:aa:1:ffff::1")
                        .post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .as("another address of the same /64")
                .isEqualTo(429);
        assertThat(new ApiClient(port)
                        .from("2001:db8:aa:2::1")
                        .post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(200);
    }
}
