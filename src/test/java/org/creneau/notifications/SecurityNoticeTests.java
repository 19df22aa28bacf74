package org.creneau.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.creneau.identity.SecurityNotice;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.RecordedEvents;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The owner of an account is emailed when it is signed in to from a new device, when its second
 * factor is turned on or off and when its password changes, whatever the account's message settings.
 */
@IntegrationTest
class SecurityNoticeTests {

    static final String SUBJECT = "Créneau : sécurité de votre compte";

    @LocalServerPort
    int port;

    @Autowired
    GreenMail smtp;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordedEvents events;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    long notices(String accountId, SecurityNotice.Kind kind) {
        return events.of(SecurityNotice.class).stream()
                .filter(n -> n.accountId().toString().equals(accountId) && n.kind() == kind)
                .count();
    }

    @Test
    void aSignInFromANewDeviceIsToldButNeitherTheFirstDeviceNorAKnownOne() throws Exception {
        String email = "p-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient first = new ApiClient(port);
        String accountId = first.registerAndLogin(email);
        assertThat(notices(accountId, SecurityNotice.Kind.NEW_DEVICE_SIGN_IN))
                .as("the account's first device")
                .isZero();
        first.post("/api/v1/auth/logout", null);
        first.login(email, Fixtures.PASSWORD);
        assertThat(notices(accountId, SecurityNotice.Kind.NEW_DEVICE_SIGN_IN))
                .as("a known device")
                .isZero();

        new ApiClient(port).login(email, Fixtures.PASSWORD);

        assertThat(notices(accountId, SecurityNotice.Kind.NEW_DEVICE_SIGN_IN)).isEqualTo(1);
        MimeMessage mail = Mails.awaitMailTo(smtp, email, SUBJECT);
        assertThat(Mails.part(mail, "text/plain"))
                .contains("depuis un appareil ou un navigateur qui ne s’y était jamais connecté")
                .contains("lundi 4 janvier 2027")
                .contains("ne peuvent pas être désactivés");
        assertThat(Mails.part(mail, "text/html")).contains("appareil ou un navigateur");
    }

    @Test
    void aChangedPasswordIsToldEvenWithRemindersTurnedOff() throws Exception {
        String email = "p-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient me = new ApiClient(port);
        me.registerAndLogin(email);
        assertThat(me.put("/api/v1/me/reminders", Map.of("enabled", false)).status())
                .isEqualTo(200);

        assertThat(me.post(
                                "/api/v1/me/password",
                                Map.of(
                                        "currentPassword",
                                        Fixtures.PASSWORD,
                                        "newPassword",
                                        "un-autre-mot-de-passe-long"))
                        .status())
                .isEqualTo(204);

        MimeMessage mail = Mails.awaitMailTo(smtp, email, SUBJECT);
        assertThat(Mails.part(mail, "text/plain")).contains("Le mot de passe de votre compte a été changé");
    }

    @Test
    void aSecondFactorTurnedOnThenOffIsToldEachTime() throws Exception {
        String email = "p-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient me = new ApiClient(port, clock);
        String accountId = me.registerAndLogin(email);
        String secret = me.post("/api/v1/auth/mfa/enrolment", null).text("secret");
        assertThat(me.post("/api/v1/auth/mfa/enrolment/confirm", Map.of("code", me.currentCode(secret)))
                        .status())
                .isEqualTo(200);
        assertThat(notices(accountId, SecurityNotice.Kind.SECOND_FACTOR_ON)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        assertThat(me.post("/api/v1/auth/mfa/disable", Map.of("code", me.currentCode(secret)))
                        .status())
                .isEqualTo(204);
        assertThat(notices(accountId, SecurityNotice.Kind.SECOND_FACTOR_OFF)).isEqualTo(1);

        long deadline = System.currentTimeMillis() + 15_000;
        while (Mails.to(smtp, email).stream()
                                .filter(m -> subject(m).equals(SUBJECT))
                                .count()
                        < 2
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Mails.to(smtp, email).stream()
                        .filter(m -> subject(m).equals(SUBJECT))
                        .map(m -> text(m))
                        .toList())
                .anySatisfy(t -> assertThat(t).contains("double authentification de votre compte a été activée"))
                .anySatisfy(t -> assertThat(t).contains("double authentification de votre compte a été désactivée"));
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private static String text(MimeMessage m) {
        try {
            return Mails.part(m, "text/plain");
        } catch (Exception e) {
            return "";
        }
    }
}
