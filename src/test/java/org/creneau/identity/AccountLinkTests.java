package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

/**
 * Mailed account links over real HTTP and a real SMTP server (GreenMail): the verification of a new
 * address, the password reset (one answer whatever the address, single use, 30 minutes, every
 * session ended, the second factor kept), and registration's one answer for a taken address.
 */
@IntegrationTest
class AccountLinkTests {

    static final String VERIFY_SUBJECT = "Créneau : confirmez votre adresse e-mail";
    static final String RESET_SUBJECT = "Créneau : choisir un nouveau mot de passe";
    static final String ATTEMPT_SUBJECT = "Créneau : tentative d’inscription avec votre adresse";
    static final String NEW_PASSWORD = "Un-autre-mot-de-passe-solide";

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
    void theVerificationLinkWorksOnceAndMarksTheAddressVerified() throws Exception {
        String email = email("verifie");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        assertThat(patient.get("/api/v1/me/email-verification")
                        .body()
                        .path("verified")
                        .asBoolean())
                .isFalse();

        String token = token(Mails.awaitMailTo(smtp, email, VERIFY_SUBJECT), "/verifier-email/");
        ApiClient anyone = new ApiClient(port);
        assertThat(anyone.post("/api/v1/auth/email-verification/confirm", Map.of("token", token))
                        .status())
                .isEqualTo(200);
        assertThat(patient.get("/api/v1/me/email-verification")
                        .body()
                        .path("verified")
                        .asBoolean())
                .isTrue();

        Response again = anyone.post("/api/v1/auth/email-verification/confirm", Map.of("token", token));
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.text("code")).isEqualTo("link-invalid");
    }

    @Test
    void registeringWithATakenAddressAnswersTheSameAndMailsItsOwnerAResetLink() throws Exception {
        String email = email("prise");
        Response first = register(email, Fixtures.PASSWORD);
        Response second = register(email, "Un-intrus-qui-essaie-2026");

        assertThat(second.status()).isEqualTo(first.status()).isEqualTo(202);
        assertThat(second.body()).isEqualTo(first.body());
        MimeMessage notice = Mails.awaitMailTo(smtp, email, ATTEMPT_SUBJECT);
        String token = token(notice, "/mot-de-passe-oublie/");
        assertThat(Mails.part(notice, "text/html")).contains("<a href=");

        // The intruder's password opens nothing; the owner's reset link works.
        assertThat(new ApiClient(port)
                        .post("/api/v1/auth/login", Map.of("email", email, "password", "Un-intrus-qui-essaie-2026"))
                        .status())
                .isEqualTo(401);
        assertThat(reset(token, NEW_PASSWORD).status()).isEqualTo(200);
        new ApiClient(port).login(email, NEW_PASSWORD);
    }

    @Test
    void aBadNameIsRefusedTheSameWhetherTheAddressIsTakenOrFree() {
        String taken = email("prise-nom");
        assertThat(register(taken, Fixtures.PASSWORD).status()).isEqualTo(202);
        Response forTaken = register(taken, Fixtures.PASSWORD, "Jea\u0000nne");
        Response forFree = register(email("libre-nom"), Fixtures.PASSWORD, "Jea\u0000nne");
        assertThat(forTaken.status()).isEqualTo(forFree.status()).isEqualTo(400);
        assertThat(forTaken.body().path("errors")).isEqualTo(forFree.body().path("errors"));
    }

    @Test
    void aResetRequestAnswersTheSameForAKnownAndAnUnknownAddress() throws Exception {
        String known = email("connue");
        new ApiClient(port).registerAndLogin(known);
        String unknown = email("inconnue");

        Response forKnown = new ApiClient(port).post("/api/v1/auth/password-reset", Map.of("email", known));
        Response forUnknown = new ApiClient(port).post("/api/v1/auth/password-reset", Map.of("email", unknown));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(202);
        assertThat(forKnown.body()).isEqualTo(forUnknown.body());
        assertThat(Mails.awaitMailTo(smtp, known, RESET_SUBJECT)).isNotNull();
        // The known address's mail arrived; an unknown one gets none (no account to send it to).
        assertThat(Mails.to(smtp, unknown)).isEmpty();

        // The pages answer the same too.
        ApiClient page = new ApiClient(port);
        Response pageKnown = page.postForm("/mot-de-passe-oublie", Map.of("email", known));
        Response pageUnknown = page.postForm("/mot-de-passe-oublie", Map.of("email", unknown));
        assertThat(pageKnown.status()).isEqualTo(pageUnknown.status()).isEqualTo(200);
        assertThat(pageKnown.raw().body()).contains("id=\"reset-sent\"");
        assertThat(withoutCsrf(pageKnown)).isEqualTo(withoutCsrf(pageUnknown));
    }

    @Test
    void aResetLinkSetsTheNewPasswordOnceAndEndsEverySession() throws Exception {
        String email = email("oubli");
        ApiClient signedIn = new ApiClient(port);
        signedIn.registerAndLogin(email);
        assertThat(signedIn.get("/api/v1/me/profile").status()).isEqualTo(200);

        String token = requestReset(email);
        assertThat(new ApiClient(port).get("/mot-de-passe-oublie/" + token).status())
                .isEqualTo(200);
        assertThat(reset(token, NEW_PASSWORD).status()).isEqualTo(200);

        assertThat(signedIn.get("/api/v1/me/profile").status()).isEqualTo(401);
        assertThat(new ApiClient(port)
                        .post("/api/v1/auth/login", Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(401);
        new ApiClient(port).login(email, NEW_PASSWORD);

        Response reused = reset(token, "Encore-un-autre-mot-de-passe");
        assertThat(reused.status()).isEqualTo(410);
        assertThat(reused.text("code")).isEqualTo("link-invalid");
        assertThat(new ApiClient(port).get("/mot-de-passe-oublie/" + token).status())
                .isEqualTo(410);
    }

    @Test
    void aResetLinkExpiresAfterThirtyMinutes() throws Exception {
        String email = email("expire");
        new ApiClient(port).registerAndLogin(email);
        String token = requestReset(email);

        clock.advance(Duration.ofMinutes(29));
        assertThat(new ApiClient(port).get("/mot-de-passe-oublie/" + token).status())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(2));
        assertThat(reset(token, NEW_PASSWORD).status()).isEqualTo(410);
        new ApiClient(port).login(email, Fixtures.PASSWORD);
    }

    @Test
    void aWeakNewPasswordIsRefusedAndLeavesTheLinkUsable() throws Exception {
        String email = email("faible");
        new ApiClient(port).registerAndLogin(email);
        String token = requestReset(email);

        Response weak = reset(token, "motdepasse2024");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body().path("errors").get(0).path("field").asString()).isEqualTo("password");
        assertThat(reset(token, NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aStaffMemberWhoResetsTheirPasswordStillGivesTheirCode() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        String token = requestReset(practice.staffEmail());
        assertThat(reset(token, NEW_PASSWORD).status()).isEqualTo(200);

        Response login = new ApiClient(port)
                .post("/api/v1/auth/login", Map.of("email", practice.staffEmail(), "password", NEW_PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("secondFactor")).isEqualTo("TOTP_REQUIRED");
        assertThat(login.text("accountId")).isNull();
    }

    @Test
    void resetRequestsFromOneAddressAreLimitedWhateverTheAddressesAsked() {
        String address = "203.0.113." + (1 + (int) (Math.random() * 250));
        ApiClient client = new ApiClient(port).from(address);
        int accepted = 0;
        Response last = null;
        for (int i = 0; i < 12; i++) {
            last = client.post("/api/v1/auth/password-reset", Map.of("email", email("limite")));
            if (last.status() == 202) {
                accepted++;
            } else {
                break;
            }
        }
        assertThat(accepted).isEqualTo(10);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(last.text("code")).isEqualTo("too-many-requests");
    }

    @Test
    void anUnknownLinkIsRefusedWithAClearPage() {
        Response page = new ApiClient(port).get("/mot-de-passe-oublie/" + "A".repeat(43));
        assertThat(page.status()).isEqualTo(410);
        assertThat(page.raw().body()).contains("id=\"link-invalid\"");
        assertThat(reset("not-a-token", NEW_PASSWORD).status()).isEqualTo(410);
    }

    /** The page without its CSRF token, which differs at each answer (masked anew each time). */
    private static String withoutCsrf(Response page) {
        return page.raw().body().replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "");
    }

    private Response register(String email, String password) {
        return register(email, password, "Jeanne");
    }

    private Response register(String email, String password, String firstName) {
        return new ApiClient(port)
                .post(
                        "/api/v1/accounts",
                        Map.of(
                                "email",
                                email,
                                "phone",
                                "+33 6 12 34 56 78",
                                "password",
                                password,
                                "firstName",
                                firstName,
                                "lastName",
                                "Testeuse",
                                "birthDate",
                                "1985-04-12"));
    }

    private String requestReset(String email) throws Exception {
        assertThat(new ApiClient(port)
                        .post("/api/v1/auth/password-reset", Map.of("email", email))
                        .status())
                .isEqualTo(202);
        return token(resetMailTo(email), "/mot-de-passe-oublie/");
    }

    /**
     * The reset mail, in the account's language: French for patients registered through the API, the
     * test machine's for the fixtures' staff accounts.
     */
    private MimeMessage resetMailTo(String email) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage mail : Mails.to(smtp, email)) {
                if (RESET_SUBJECT.equals(mail.getSubject())
                        || "Créneau: choose a new password".equals(mail.getSubject())) {
                    return mail;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no reset mail to " + email);
    }

    private Response reset(String token, String password) {
        return new ApiClient(port)
                .post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "password", password));
    }

    /** The token of the link the mail carries under {@code path}, from its plain text. */
    static String token(MimeMessage mail, String path) throws Exception {
        String text = Mails.part(mail, "text/plain");
        Matcher link =
                Pattern.compile(Pattern.quote(path) + "([A-Za-z0-9_-]{43})").matcher(text);
        assertThat(link.find()).as("a link under " + path + " in: " + text).isTrue();
        return link.group(1);
    }

    private static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }
}
