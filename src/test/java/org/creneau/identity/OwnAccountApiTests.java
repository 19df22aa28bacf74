package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
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
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The JSON API for a patient's own account, on the same services as the "My account" pages:
 * relatives changed and removed, own details, password change, second factor off, sign out
 * everywhere.
 */
@IntegrationTest
class OwnAccountApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @BeforeEach
    void monday() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void aRelativeIsChangedAndRemovedOnceItsAppointmentIsCancelledAndAnotherAccountCannotTouchIt() {
        Practice practice = fixtures.practice("gynecologue");
        ApiClient me = patient();
        String relative = me.post("/api/v1/me/relatives", relative("Nina")).text("id");
        ApiClient.Response changed = me.put("/api/v1/me/relatives/" + relative, relative("Ninon"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text("firstName")).isEqualTo("Ninon");
        assertThat(me.put("/api/v1/me/relatives/" + relative, Map.of("firstName", "x"))
                        .status())
                .isEqualTo(400);

        ApiClient stranger = patient();
        assertThat(stranger.put("/api/v1/me/relatives/" + relative, relative("Volé"))
                        .status())
                .isEqualTo(404);
        assertThat(stranger.delete("/api/v1/me/relatives/" + relative).status()).isEqualTo(404);

        String appointment = me.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString(),
                                "relativeId", relative))
                .text("id");
        ApiClient.Response refused = me.delete("/api/v1/me/relatives/" + relative);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("relative-has-appointments");
        me.post("/api/v1/appointments/" + appointment + "/cancel", Map.of("reason", "Plus besoin"));
        ApiClient.Response waiting = me.post(
                "/api/v1/waitlist",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "motiveId", practice.motiveId(),
                        "relativeId", relative));
        assertThat(waiting.status()).isEqualTo(201);
        assertThat(me.delete("/api/v1/me/relatives/" + relative).status()).isEqualTo(200);
        // The relative's place on the waiting list goes with them.
        assertThat(me.get("/api/v1/me/waitlist").body()).isEmpty();
        assertThat(me.get("/api/v1/me/relatives").body()).isEmpty();
        assertThat(me.put("/api/v1/me/relatives/" + relative, relative("Nina")).status())
                .isEqualTo(404);
    }

    @Test
    void theAccountHolderChangesTheirDetailsButNotTheirEmail() {
        ApiClient me = patient();
        ApiClient.Response changed = me.put(
                "/api/v1/me/profile",
                Map.of(
                        "firstName",
                        "Jeanne-Marie",
                        "lastName",
                        "Testeuse",
                        "birthDate",
                        "1985-04-12",
                        "phone",
                        "0611"));
        assertThat(changed.status()).isEqualTo(400);
        assertThat(changed.raw().body()).contains("phone");
        changed = me.put(
                "/api/v1/me/profile",
                Map.of(
                        "firstName", "Jeanne-Marie",
                        "lastName", "Testeuse",
                        "birthDate", "1985-04-12",
                        "phone", "07 80 00 00 01"));
        assertThat(changed.status()).isEqualTo(200);
        ApiClient.Response profile = me.get("/api/v1/me/profile");
        assertThat(profile.text("firstName")).isEqualTo("Jeanne-Marie");
        assertThat(profile.text("phone")).as("kept in E.164").isEqualTo("+33780000001");
        assertThat(profile.text("email")).startsWith("own-");
    }

    @Test
    void thePasswordChangesWithTheCurrentOneAndSigningOutEverywhereEndsEverySession() {
        String email = "own-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient here = new ApiClient(port);
        here.registerAndLogin(email);
        String next = "Un-autre-mot-de-passe-2027";
        ApiClient.Response wrong = here.post(
                "/api/v1/me/password", Map.of("currentPassword", "pas-celui-ci-du-tout", "newPassword", next));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.raw().body()).contains("currentPassword");
        assertThat(here.post(
                                "/api/v1/me/password",
                                Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "court"))
                        .status())
                .isEqualTo(400);
        assertThat(here.post("/api/v1/me/password", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", next))
                        .status())
                .isEqualTo(204);

        ApiClient there = new ApiClient(port);
        there.login(email, next);
        assertThat(here.post("/api/v1/auth/logout-everywhere", null).status()).isEqualTo(204);
        assertThat(here.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(there.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void theSecondFactorIsTurnedOffWithACodeAndSignInThenNeedsNone() {
        String email = "own-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient me = new ApiClient(port, clock);
        me.registerAndLogin(email);
        String secret = me.post("/api/v1/auth/mfa/enrolment", null).text("secret");
        assertThat(me.post("/api/v1/auth/mfa/enrolment/confirm", Map.of("code", me.currentCode(secret)))
                        .status())
                .isEqualTo(200);
        // The code just used is not good again: the next step's is.
        assertThat(me.post("/api/v1/auth/mfa/disable", Map.of("code", me.currentCode(secret)))
                        .status())
                .isEqualTo(400);
        clock.advance(Duration.ofSeconds(30));
        assertThat(me.post("/api/v1/auth/mfa/disable", Map.of("code", me.currentCode(secret)))
                        .status())
                .isEqualTo(204);
        new ApiClient(port).login(email, Fixtures.PASSWORD);
    }

    private ApiClient patient() {
        ApiClient client = new ApiClient(port);
        client.registerAndLogin("own-" + UUID.randomUUID() + "@test.creneau.fr");
        return client;
    }

    private static Map<String, String> relative(String firstName) {
        return Map.of(
                "relationship", "CHILD", "firstName", firstName, "lastName", "Testeuse", "birthDate", "2014-09-30");
    }
}
