package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * "My account" over real HTTP: another patient's relative answers like a missing one (and the
 * attempt is journaled), a relative with an appointment to come stays until it is cancelled, the
 * password change needs the current password, signing out everywhere ends the other session, and
 * the second factor's QR code is a real one.
 */
@IntegrationTest
class AccountPagesTests {

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
    void monday() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void anotherPatientsRelativeAnswersLikeAMissingOneAndTheAttemptIsJournaled() {
        ApiClient mine = patient();
        String relative = addRelative(mine, "Léo");
        assertThat(mine.get("/mon-compte/proches/" + relative).status()).isEqualTo(200);
        assertThat(entries(relative, "GET /mon-compte/proches/{id}"))
                .extracting(e -> e.get("outcome"))
                .containsExactly("READ");

        ApiClient stranger = patient();
        ApiClient.Response refused = stranger.get("/mon-compte/proches/" + relative);
        String unknown = UUID.randomUUID().toString();
        ApiClient.Response missing = stranger.get("/mon-compte/proches/" + unknown);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.raw().body().replace(relative, "ID"))
                .isEqualTo(missing.raw().body().replace(unknown, "ID"));
        ApiClient.Response changed = stranger.postForm(
                "/mon-compte/proches/" + relative,
                Map.of("relationship", "OTHER", "firstName", "Volé", "lastName", "X", "birthDate", "2000-01-01"));
        assertThat(changed.status()).isEqualTo(404);
        assertThat(stranger.postForm("/mon-compte/proches/" + relative + "/retirer", Map.of())
                        .status())
                .isEqualTo(404);
        assertThat(mine.get("/api/v1/me/relatives")
                        .body()
                        .get(0)
                        .path("firstName")
                        .asString())
                .isEqualTo("Léo");
        assertThat(entries(relative, "GET /mon-compte/proches/{id}"))
                .extracting(e -> e.get("outcome"))
                .containsExactlyInAnyOrder("READ", "NOT_FOUND");
    }

    @Test
    void aRelativeWithAnAppointmentToComeStaysUntilItIsCancelled() {
        Practice practice = fixtures.practice("gynecologue");
        ApiClient me = patient();
        String relative = addRelative(me, "Inès");
        String appointment = me.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString(),
                                "relativeId", relative))
                .text("id");
        me.post("/api/v1/appointments/" + appointment + "/confirm", Map.of());

        ApiClient.Response refused = me.postForm("/mon-compte/proches/" + relative + "/retirer", Map.of());
        assertThat(refused.status()).isEqualTo(302);
        assertThat(me.get("/mon-compte/proches/" + relative).raw().body())
                .contains("Cette personne a encore des rendez-vous à venir : annulez-les d’abord, puis retirez-la.");
        assertThat(me.get("/api/v1/me/relatives").body()).hasSize(1);

        me.post("/api/v1/appointments/" + appointment + "/cancel", Map.of("reason", "Plus besoin"));
        ApiClient.Response removed = me.postForm("/mon-compte/proches/" + relative + "/retirer", Map.of());
        assertThat(removed.status()).isEqualTo(302);
        assertThat(me.get("/api/v1/me/relatives").body()).isEmpty();
        assertThat(me.get("/mon-compte/proches/" + relative).status()).isEqualTo(404);
        // The cancelled appointment still names the person it was for.
        assertThat(me.get("/mes-rendez-vous/" + appointment).raw().body())
                .contains("id=\"appointment-for\">Inès Testeuse<");
    }

    @Test
    void aRelativesChangeIsCheckedLikeTheApiAndSaved() {
        ApiClient me = patient();
        String relative = addRelative(me, "Jules");
        ApiClient.Response refused = me.postForm(
                "/mon-compte/proches/" + relative,
                Map.of("relationship", "CHILD", "firstName", " ", "lastName", "Martin", "birthDate", "2016-02-03"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body())
                .contains("id=\"rel-firstName-error\"")
                .contains("aria-describedby=\"rel-firstName-error\"");
        ApiClient.Response saved = me.postForm(
                "/mon-compte/proches/" + relative,
                Map.of(
                        "relationship",
                        "CHILD",
                        "firstName",
                        "Julien",
                        "lastName",
                        "Martin",
                        "birthDate",
                        "2016-02-03"));
        assertThat(saved.status()).isEqualTo(302);
        assertThat(me.get("/api/v1/me/relatives")
                        .body()
                        .get(0)
                        .path("firstName")
                        .asString())
                .isEqualTo("Julien");
        assertThat(entries(relative, "POST /mon-compte/proches/{id}"))
                .extracting(e -> e.get("outcome"))
                .containsExactly("UPDATED");
    }

    @Test
    void thePasswordChangeNeedsTheCurrentPasswordAndEndsTheOtherSessions() {
        String email = "account-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient here = new ApiClient(port);
        here.registerAndLogin(email);
        ApiClient there = new ApiClient(port);
        there.login(email, Fixtures.PASSWORD);
        String next = "Nouveau-mot-de-passe-2027";

        ApiClient.Response wrong = here.postForm(
                "/mon-compte/mot-de-passe", Map.of("currentPassword", "pas-le-bon-mot-de-passe", "newPassword", next));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.raw().body())
                .contains("id=\"currentPassword-error\"")
                .contains("Ce n’est pas votre mot de passe actuel.");
        ApiClient.Response weak = here.postForm(
                "/mon-compte/mot-de-passe", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "court"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.raw().body()).contains("id=\"newPassword-error\"");

        ApiClient.Response changed = here.postForm(
                "/mon-compte/mot-de-passe", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", next));
        assertThat(changed.status()).isEqualTo(302);
        assertThat(here.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(there.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(new ApiClient(port)
                        .post("/api/v1/auth/login", Map.of("email", email, "password", Fixtures.PASSWORD))
                        .status())
                .isEqualTo(401);
        new ApiClient(port).login(email, next);
    }

    @Test
    void signingOutEverywhereEndsEverySessionOfTheAccountAndNoOneElses() {
        String email = "everywhere-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient here = new ApiClient(port);
        here.registerAndLogin(email);
        ApiClient there = new ApiClient(port);
        there.login(email, Fixtures.PASSWORD);
        ApiClient someoneElse = patient();

        ApiClient.Response out = here.postForm("/mon-compte/deconnecter-partout", Map.of());
        assertThat(out.status()).isEqualTo(302);
        assertThat(here.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(there.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(there.get("/mon-compte").raw().headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/se-connecter"));
        assertThat(someoneElse.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void theSecondFactorsQrCodeEncodesTheSecretShownAndOneCodeTurnsItOn() throws Exception {
        ApiClient me = new ApiClient(port, clock);
        me.registerAndLogin("qr-" + UUID.randomUUID() + "@test.creneau.fr");
        assertThat(me.get("/mon-compte/double-authentification/qr.svg").status())
                .isEqualTo(404);
        me.postForm("/mon-compte/double-authentification/activer", Map.of());
        String page = me.get("/mon-compte/double-authentification").raw().body();
        Matcher shown = Pattern.compile("id=\"secret\">([A-Z2-7 ]+)<").matcher(page);
        assertThat(shown.find()).as(page).isTrue();
        String secret = shown.group(1).replace(" ", "");

        ApiClient.Response qr = me.get("/mon-compte/double-authentification/qr.svg");
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.contentType()).startsWith("image/svg+xml");
        assertThat(qr.raw().headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        String decoded = decode(qr.raw().body());
        assertThat(decoded).startsWith("otpauth://totp/").contains("secret=" + secret);

        ApiClient.Response wrong =
                me.postForm("/mon-compte/double-authentification/confirmer", Map.of("code", "000000"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.raw().body()).contains("id=\"code-error\"");
        ApiClient.Response on =
                me.postForm("/mon-compte/double-authentification/confirmer", Map.of("code", me.currentCode(secret)));
        assertThat(on.status()).isEqualTo(200);
        assertThat(Pattern.compile("<li>[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}</li>")
                        .matcher(on.raw().body())
                        .results()
                        .count())
                .isEqualTo(10);
        // Shown once: the page does not show them again.
        assertThat(me.get("/mon-compte/double-authentification").raw().body())
                .doesNotContain("recovery-codes")
                .contains("id=\"off-form\"");
    }

    private ApiClient patient() {
        ApiClient client = new ApiClient(port);
        client.registerAndLogin("account-" + UUID.randomUUID() + "@test.creneau.fr");
        return client;
    }

    private static String addRelative(ApiClient client, String firstName) {
        return client.post(
                        "/api/v1/me/relatives",
                        Map.of(
                                "relationship", "CHILD",
                                "firstName", firstName,
                                "lastName", "Testeuse",
                                "birthDate", "2015-06-01"))
                .text("id");
    }

    private List<Map<String, Object>> entries(String id, String route) {
        return new JdbcTemplate(owner)
                .queryForList(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND route = ?", id, route);
    }

    /** Reads the SVG's squares back into pixels (4 per module) and decodes them with ZXing's reader. */
    private static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) \\d+\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int modules = Integer.parseInt(box.group(1));
        int scale = 4;
        int side = modules * scale;
        byte[] pixels = new byte[side * side];
        java.util.Arrays.fill(pixels, (byte) 0xff);
        Matcher square = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(svg);
        while (square.find()) {
            int x = Integer.parseInt(square.group(1));
            int y = Integer.parseInt(square.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * side + x * scale + dx] = 0;
                }
            }
        }
        LuminanceSource source = new LuminanceSource(side, side) {
            @Override
            public byte[] getRow(int y, byte[] row) {
                byte[] out = row != null && row.length >= side ? row : new byte[side];
                System.arraycopy(pixels, y * side, out, 0, side);
                return out;
            }

            @Override
            public byte[] getMatrix() {
                return pixels;
            }
        };
        return new QRCodeReader()
                .decode(new BinaryBitmap(new HybridBinarizer(source)))
                .getText();
    }
}
