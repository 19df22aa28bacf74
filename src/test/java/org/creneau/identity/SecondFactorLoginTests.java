package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
class SecondFactorLoginTests {

    static final String LOGIN = "/api/v1/auth/login";
    static final String SECOND_FACTOR = "/api/v1/auth/login/second-factor";
    static final String ENROLMENT = "/api/v1/auth/mfa/enrolment";
    static final String CONFIRM = "/api/v1/auth/mfa/enrolment/confirm";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        forgetFailedLogins();
        practice = fixtures.practice("pediatre");
    }

    @AfterEach
    void forgetFailedLogins() {
        // Every test signs in from the same address: failures must not spill into other tests.
        new JdbcTemplate(owner).update("DELETE FROM login_throttle");
    }

    ApiClient client() {
        return new ApiClient(port, clock);
    }

    Response password(ApiClient client, String email) {
        return client.post(LOGIN, Map.of("email", email, "password", Fixtures.PASSWORD));
    }

    /** A code of none of the accepted steps around now. */
    String wrongCode(String secret) {
        Set<String> valid = Set.of(
                ApiClient.totp(secret, clock.instant().minusSeconds(30)),
                ApiClient.totp(secret, clock.instant()),
                ApiClient.totp(secret, clock.instant().plusSeconds(30)));
        int candidate = Integer.parseInt(ApiClient.totp(secret, clock.instant()));
        String code;
        do {
            candidate = (candidate + 1) % 1_000_000;
            code = String.format("%06d", candidate);
        } while (valid.contains(code));
        return code;
    }

    record Enrolled(String email, String secret, List<String> recoveryCodes) {}

    /** A new staff member goes through the first login with enrolment; the client ends signed in. */
    Enrolled enrolNewStaff(ApiClient client) {
        String email = fixtures.staffWithoutSecondFactor(practice);
        assertThat(password(client, email).text("secondFactor")).isEqualTo("ENROLMENT_REQUIRED");
        String secret = client.post(ENROLMENT, null).text("secret");
        Response confirmed = client.post(CONFIRM, Map.of("code", client.currentCode(secret)));
        assertThat(confirmed.status()).as("confirm %s", confirmed.body()).isEqualTo(200);
        List<String> codes = confirmed
                .body()
                .path("recoveryCodes")
                .valueStream()
                .map(n -> n.asString())
                .toList();
        return new Enrolled(email, secret, codes);
    }

    @Test
    void aNewStaffMemberEnrolsAtFirstLoginAndTheFirstCodeSignsThemIn() {
        String email = fixtures.staffWithoutSecondFactor(practice);
        ApiClient client = client();

        Response login = password(client, email);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("secondFactor")).isEqualTo("ENROLMENT_REQUIRED");
        assertThat(login.text("accountId")).isNull();
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
        String pendingSession = client.cookie("SESSION");
        assertThat(pendingSession).isNotNull();

        Response enrolment = client.post(ENROLMENT, null);
        assertThat(enrolment.status()).isEqualTo(200);
        String secret = enrolment.text("secret");
        assertThat(secret).matches("[A-Z2-7]{32}");
        URI uri = URI.create(enrolment.text("otpauthUri"));
        assertThat(uri.getScheme()).isEqualTo("otpauth");
        assertThat(uri.getHost()).isEqualTo("totp");
        assertThat(uri.getPath()).isEqualTo("/Créneau:" + email);
        assertThat(uri.getQuery()).isEqualTo("secret=" + secret + "&issuer=Créneau");

        Response wrong = client.post(CONFIRM, Map.of("code", wrongCode(secret)));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().path("errors").get(0).path("field").asString()).isEqualTo("code");
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);

        Response confirmed = client.post(CONFIRM, Map.of("code", client.currentCode(secret)));
        assertThat(confirmed.status()).isEqualTo(200);
        List<String> codes = confirmed
                .body()
                .path("recoveryCodes")
                .valueStream()
                .map(n -> n.asString())
                .toList();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-9]{4}(-[a-z2-9]{4}){3}"));
        assertThat(client.cookie("SESSION")).isNotEqualTo(pendingSession);
        Response me = client.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("kind")).isEqualTo("STAFF");
        assertThat(me.body().path("memberships").get(0).path("organizationId").asString())
                .isEqualTo(practice.organizationId().toString());

        // Only hashes are kept.
        List<String> stored = new JdbcTemplate(owner)
                .queryForList(
                        "SELECT code_hash FROM recovery_code WHERE account_id = ?::uuid",
                        String.class,
                        me.text("accountId"));
        assertThat(stored).hasSize(10).doesNotContainAnyElementsOf(codes);

        // From now on the password alone is not enough.
        clock.advance(Duration.ofSeconds(30));
        ApiClient later = client();
        assertThat(password(later, email).text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        assertThat(later.post(SECOND_FACTOR, Map.of("code", later.currentCode(secret)))
                        .text("accountId"))
                .isEqualTo(me.text("accountId"));
    }

    @Test
    void anEnrolledStaffMemberSignsInWithTheCodeAndGetsANewSessionId() {
        ApiClient client = client();
        Response first = password(client, practice.staffEmail());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        String pendingSession = client.cookie("SESSION");

        Response signedIn = client.post(SECOND_FACTOR, Map.of("code", client.currentCode(Fixtures.TOTP_SECRET)));
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.text("kind")).isEqualTo("STAFF");
        assertThat(client.cookie("SESSION")).isNotNull().isNotEqualTo(pendingSession);
        assertThat(client.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void aSessionWaitingForTheSecondFactorIsNotSignedIn() {
        ApiClient client = client();
        assertThat(password(client, practice.staffEmail()).text("secondFactor")).isEqualTo("TOTP_REQUIRED");

        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(client.get("/api/v1/me/appointments").status()).isEqualTo(401);
        Response noShow = client.post("/api/v1/staff/appointments/" + java.util.UUID.randomUUID() + "/no-show", null);
        assertThat(noShow.status()).isEqualTo(401);
        assertThat(noShow.contentType()).startsWith("application/problem+json");
        // Waiting for a code does not allow choosing a new secret instead.
        assertThat(client.post(ENROLMENT, null).status()).isEqualTo(401);
    }

    @Test
    void aWrongCodeIsRefusedAndTheRightOneStillWorks() {
        ApiClient client = client();
        password(client, practice.staffEmail());

        Response wrong = client.post(SECOND_FACTOR, Map.of("code", wrongCode(Fixtures.TOTP_SECRET)));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
        Response malformed = client.post(SECOND_FACTOR, Map.of("code", "12ab56"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("errors").get(0).path("field").asString())
                .isEqualTo("code");

        assertThat(client.post(SECOND_FACTOR, Map.of("code", client.currentCode(Fixtures.TOTP_SECRET)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aCodeAlreadyUsedIsRefusedUntilTheNextStep() {
        String code = ApiClient.totp(Fixtures.TOTP_SECRET, clock.instant());
        ApiClient first = client();
        password(first, practice.staffEmail());
        assertThat(first.post(SECOND_FACTOR, Map.of("code", code)).status()).isEqualTo(200);

        ApiClient replay = client();
        password(replay, practice.staffEmail());
        assertThat(replay.post(SECOND_FACTOR, Map.of("code", code)).status()).isEqualTo(401);
        assertThat(replay.get("/api/v1/me").status()).isEqualTo(401);

        // 30 seconds later the old code is still within tolerance, but its step is used: refused.
        clock.advance(Duration.ofSeconds(30));
        assertThat(replay.post(SECOND_FACTOR, Map.of("code", code)).status()).isEqualTo(401);
        assertThat(replay.post(SECOND_FACTOR, Map.of("code", replay.currentCode(Fixtures.TOTP_SECRET)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void codesOfOneStepEitherSideAreAcceptedButNotTwo() {
        ApiClient client = client();
        password(client, practice.staffEmail());
        String twoStepsAgo =
                ApiClient.totp(Fixtures.TOTP_SECRET, clock.instant().minusSeconds(60));
        assertThat(client.post(SECOND_FACTOR, Map.of("code", twoStepsAgo)).status())
                .isEqualTo(401);
        String oneStepAgo = ApiClient.totp(Fixtures.TOTP_SECRET, clock.instant().minusSeconds(30));
        assertThat(client.post(SECOND_FACTOR, Map.of("code", oneStepAgo)).status())
                .isEqualTo(200);

        ApiClient again = client();
        password(again, practice.staffEmail());
        String oneStepAhead =
                ApiClient.totp(Fixtures.TOTP_SECRET, clock.instant().plusSeconds(30));
        assertThat(again.post(SECOND_FACTOR, Map.of("code", oneStepAhead)).status())
                .isEqualTo(200);
    }

    @Test
    void aRecoveryCodeSignsInOnceOnly() {
        Enrolled enrolled = enrolNewStaff(client());

        ApiClient lostPhone = client();
        assertThat(password(lostPhone, enrolled.email()).text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        Response signedIn = lostPhone.post(
                SECOND_FACTOR, Map.of("recoveryCode", enrolled.recoveryCodes().get(0)));
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.text("kind")).isEqualTo("STAFF");
        assertThat(lostPhone.get("/api/v1/me").status()).isEqualTo(200);

        ApiClient again = client();
        password(again, enrolled.email());
        assertThat(again.post(
                                SECOND_FACTOR,
                                Map.of("recoveryCode", enrolled.recoveryCodes().get(0)))
                        .status())
                .isEqualTo(401);
        assertThat(again.get("/api/v1/me").status()).isEqualTo(401);
        // Another one works, typed in capitals and without dashes.
        String typed = enrolled.recoveryCodes().get(1).replace("-", "").toUpperCase();
        assertThat(again.post(SECOND_FACTOR, Map.of("recoveryCode", typed)).status())
                .isEqualTo(200);
    }

    @Test
    void theSecondFactorMustFollowThePasswordWithinFiveMinutes() {
        ApiClient client = client();
        password(client, practice.staffEmail());
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(client.post(SECOND_FACTOR, Map.of("code", client.currentCode(Fixtures.TOTP_SECRET)))
                        .status())
                .isEqualTo(401);
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aPasswordForAnotherAccountLeavesNothingOfTheEarlierSignIn() {
        ApiClient client = client();
        client.registerAndLogin("p-" + java.util.UUID.randomUUID() + "@test.creneau.fr");
        assertThat(client.get("/api/v1/me").text("kind")).isEqualTo("PATIENT");

        assertThat(password(client, practice.staffEmail()).text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aPatientMayTurnOnTheSecondFactorAndIsThenAskedForIt() {
        ApiClient patient = client();
        String email = "p-" + java.util.UUID.randomUUID() + "@test.creneau.fr";
        String accountId = patient.registerAndLogin(email);

        Response enrolment = patient.post(ENROLMENT, null);
        assertThat(enrolment.status()).isEqualTo(200);
        String secret = enrolment.text("secret");
        Response confirmed = patient.post(CONFIRM, Map.of("code", patient.currentCode(secret)));
        assertThat(confirmed.body().path("recoveryCodes").size()).isEqualTo(10);
        assertThat(patient.get("/api/v1/me").status()).isEqualTo(200);
        Response twice = patient.post(ENROLMENT, null);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.text("code")).isEqualTo("second-factor-already-enabled");

        clock.advance(Duration.ofSeconds(30));
        ApiClient later = client();
        assertThat(password(later, email).text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        assertThat(later.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(later.post(SECOND_FACTOR, Map.of("code", later.currentCode(secret)))
                        .text("accountId"))
                .isEqualTo(accountId);
    }

    @Test
    void aPatientWithoutSecondFactorSignsInWithThePasswordAlone() {
        ApiClient patient = client();
        String email = "p-" + java.util.UUID.randomUUID() + "@test.creneau.fr";
        String accountId = patient.registerAndLogin(email);
        patient.post("/api/v1/auth/logout", null);

        Response login = password(patient, email);
        assertThat(login.text("secondFactor")).isNull();
        assertThat(login.text("accountId")).isEqualTo(accountId);
        assertThat(patient.get("/api/v1/me").status()).isEqualTo(200);
    }
}
