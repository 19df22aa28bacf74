package org.creneau.booking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
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

/** A freed slot goes to the waiting list in order; an unanswered offer passes to the next. */
@IntegrationTest
class WaitlistTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    HoldSweeper sweeper;

    @Autowired
    GreenMail smtp;

    Practice practice;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("psychiatre");
    }

    ApiClient patient() {
        ApiClient client = new ApiClient(port, clock);
        client.registerAndLogin("wait-" + UUID.randomUUID() + "@test.creneau.fr");
        return client;
    }

    Response join(ApiClient who) {
        return who.post(
                "/api/v1/waitlist",
                Map.of("practitionerId", practice.practitionerId(), "motiveId", practice.motiveId()));
    }

    @Test
    void aCancelledSlotIsOfferedToTheFirstInLineThenToTheNextWhenUnanswered() {
        ApiClient holder = patient();
        Response held = holder.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", TUESDAY_9.toString()));
        holder.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);

        ApiClient first = patient();
        ApiClient second = patient();
        assertThat(join(first).status()).isEqualTo(201);
        // The clock is frozen: without a step, both entries would be created at the same instant and
        // the queue order between them would be left to their random ids.
        clock.advance(Duration.ofSeconds(1));
        assertThat(join(second).status()).isEqualTo(201);
        assertThat(join(first).status()).as("once per list").isEqualTo(409);

        holder.post("/api/v1/appointments/" + held.text("id") + "/cancel", Map.of("reason", "Guéri"));

        Response firstEntries = first.get("/api/v1/me/waitlist");
        assertThat(firstEntries.body().get(0).path("status").asString()).isEqualTo("OFFERED");
        String offered = firstEntries.body().get(0).path("offeredAppointmentId").asString();
        Response offer = first.get("/api/v1/appointments/" + offered);
        assertThat(offer.text("status")).isEqualTo("HELD");
        assertThat(offer.text("start")).isEqualTo(TUESDAY_9.toString());
        assertThat(second.get("/api/v1/me/waitlist")
                        .body()
                        .get(0)
                        .path("status")
                        .asString())
                .isEqualTo("WAITING");

        clock.advance(Duration.ofMinutes(61));
        sweeper.releaseExpiredHolds();

        assertThat(first.get("/api/v1/me/waitlist").body().size())
                .as("gave up the place")
                .isZero();
        Response secondEntries = second.get("/api/v1/me/waitlist");
        assertThat(secondEntries.body().get(0).path("status").asString()).isEqualTo("OFFERED");
        String secondOffer =
                secondEntries.body().get(0).path("offeredAppointmentId").asString();
        Response confirmed = second.post("/api/v1/appointments/" + secondOffer + "/confirm", null);
        assertThat(confirmed.text("status")).isEqualTo("BOOKED");
        assertThat(second.get("/api/v1/me/waitlist").body().size()).isZero();
    }

    @Test
    void whenTheNextInLineTakesASlotWhoseOfferLapsedTheEarlierWaiterIsToldItIsGone() throws Exception {
        ApiClient holder = patient();
        Response held = holder.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", TUESDAY_9.toString()));
        holder.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);
        String firstEmail = "wait-first-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient first = new ApiClient(port, clock);
        first.registerAndLogin(firstEmail);
        ApiClient second = patient();
        assertThat(join(first).status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(1));
        assertThat(join(second).status()).isEqualTo(201);
        holder.post("/api/v1/appointments/" + held.text("id") + "/cancel", Map.of("reason", "Guéri"));
        Mails.awaitMailTo(smtp, firstEmail, "Créneau : un créneau s’est libéré pour vous");

        // The first lets the offer lapse; the slot goes to the second, who takes it.
        clock.advance(Duration.ofMinutes(61));
        sweeper.releaseExpiredHolds();
        String secondOffer = second.get("/api/v1/me/waitlist")
                .body()
                .get(0)
                .path("offeredAppointmentId")
                .asString();
        assertThat(second.post("/api/v1/appointments/" + secondOffer + "/confirm", null)
                        .text("status"))
                .isEqualTo("BOOKED");

        MimeMessage gone = Mails.awaitMailTo(smtp, firstEmail, "Créneau : le créneau proposé n’est plus libre");
        assertThat(Mails.part(gone, "text/plain"))
                .contains("mardi 5 janvier 2027 à 09:00")
                .contains("a été pris par une autre personne");
        String goneSubject = gone.getSubject();
        assertThat(Mails.to(smtp, firstEmail).stream().filter(m -> subject(m).equals(goneSubject)))
                .as("told once")
                .hasSize(1);
    }

    @Test
    void theDeskSeesTheWaitingListAndAPatientMayWithdraw() {
        ApiClient waiting = patient();
        String entry = join(waiting).text("id");
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        Response list = desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/waitlist");
        assertThat(list.body().path("items").valueStream().map(e -> e.path("id").asString()))
                .containsExactly(entry);
        assertThat(patient().delete("/api/v1/me/waitlist/" + entry).status()).isEqualTo(404);
        assertThat(waiting.delete("/api/v1/me/waitlist/" + entry).status()).isEqualTo(204);
        assertThat(desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/waitlist")
                        .body()
                        .path("items")
                        .size())
                .isZero();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            return "";
        }
    }
}
