package org.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import tools.jackson.databind.JsonNode;

@IntegrationTest
public class BookingApiTests {

    /** Tuesday 5 January 2027, 09:00 in Paris. */
    public static final Instant TUESDAY_9 = Instant.parse("2027-01-05T08:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("dermatologue");
    }

    ApiClient patient() {
        ApiClient client = new ApiClient(port);
        client.registerAndLogin("p-" + UUID.randomUUID() + "@test.creneau.fr");
        return client;
    }

    Map<String, Object> slot(Instant start) {
        Map<String, Object> body = new HashMap<>();
        body.put("practitionerId", practice.practitionerId());
        body.put("siteId", practice.siteId());
        body.put("motiveId", practice.motiveId());
        body.put("start", start.toString());
        return body;
    }

    List<String> freeStarts(Instant from, Instant to) {
        Response r = new ApiClient(port)
                .get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + practice.motiveId()
                        + "&from=" + from + "&to=" + to);
        assertThat(r.status()).isEqualTo(200);
        return r.body()
                .path("slots")
                .valueStream()
                .map(s -> s.path("start").asString())
                .toList();
    }

    @Test
    void aPatientHoldsConfirmsAndSeesTheAppointment() {
        ApiClient me = patient();
        Response held = me.post("/api/v1/appointments", slot(TUESDAY_9));
        assertThat(held.status()).isEqualTo(201);
        assertThat(held.text("status")).isEqualTo("HELD");
        assertThat(Instant.parse(held.text("expiresAt")))
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(freeStarts(TUESDAY_9, TUESDAY_9.plus(Duration.ofHours(3)))).doesNotContain(TUESDAY_9.toString());

        Response confirmed = me.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.text("status")).isEqualTo("BOOKED");

        Response mine = me.get("/api/v1/me/appointments");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().path("items").valueStream().map(a -> a.path("id").asString()))
                .containsExactly(held.text("id"));
        assertThat(mine.body().path("page").path("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void bookingTheSameSlotTwiceFailsForTheSecondPatient() {
        assertThat(patient().post("/api/v1/appointments", slot(TUESDAY_9)).status())
                .isEqualTo(201);
        Response second = patient().post("/api/v1/appointments", slot(TUESDAY_9));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aHoldIsReleasedAfterTenMinutesAndCannotBeConfirmedThen() {
        ApiClient first = patient();
        Response held = first.post("/api/v1/appointments", slot(TUESDAY_9));
        clock.advance(Duration.ofMinutes(11));

        assertThat(freeStarts(TUESDAY_9, TUESDAY_9.plus(Duration.ofHours(1)))).contains(TUESDAY_9.toString());
        Response late = first.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.text("code")).isEqualTo("hold-expired");
        assertThat(patient().post("/api/v1/appointments", slot(TUESDAY_9)).status())
                .isEqualTo(201);
    }

    @Test
    void cancellingNeedsAReasonAndFreesTheSlot() {
        ApiClient me = patient();
        String id = book(me, TUESDAY_9);

        Response noReason = me.post("/api/v1/appointments/" + id + "/cancel", Map.of());
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body().path("errors").get(0).path("field").asString())
                .isEqualTo("reason");

        Response cancelled = me.post("/api/v1/appointments/" + id + "/cancel", Map.of("reason", "Empêchement"));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        assertThat(freeStarts(TUESDAY_9, TUESDAY_9.plus(Duration.ofHours(1)))).contains(TUESDAY_9.toString());
    }

    @Test
    void cancellingAfterTheCutOffIsRefusedAndKeepsTheAppointment() {
        ApiClient me = patient();
        String id = book(me, TUESDAY_9);
        clock.set(TUESDAY_9.minus(Duration.ofHours(23)));

        Response refused = me.post("/api/v1/appointments/" + id + "/cancel", Map.of("reason", "Trop tard"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("cancellation-cutoff-passed");
        assertThat(me.get("/api/v1/appointments/" + id).text("status")).isEqualTo("BOOKED");
    }

    @Test
    void reschedulingTakesTheNewSlotAndFreesTheOldOne() {
        ApiClient me = patient();
        String id = book(me, TUESDAY_9);
        Instant later = TUESDAY_9.plus(Duration.ofHours(2));

        Response moved = me.post("/api/v1/appointments/" + id + "/reschedule", Map.of("start", later.toString()));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("id")).isEqualTo(id);
        assertThat(moved.text("start")).isEqualTo(later.toString());
        List<String> free = freeStarts(TUESDAY_9, TUESDAY_9.plus(Duration.ofHours(3)));
        assertThat(free).contains(TUESDAY_9.toString()).doesNotContain(later.toString());
    }

    @Test
    void reschedulingOntoATakenSlotFailsAndKeepsTheOldOne() {
        ApiClient me = patient();
        String id = book(me, TUESDAY_9);
        Instant taken = TUESDAY_9.plus(Duration.ofMinutes(30));
        book(patient(), taken);

        Response refused = me.post("/api/v1/appointments/" + id + "/reschedule", Map.of("start", taken.toString()));
        assertThat(refused.status()).isEqualTo(409);
        Response still = me.get("/api/v1/appointments/" + id);
        assertThat(still.text("status")).isEqualTo("BOOKED");
        assertThat(still.text("start")).isEqualTo(TUESDAY_9.toString());
    }

    @Test
    void reschedulingByHalfAnHourOverlappingItselfIsAllowed() {
        ApiClient me = patient();
        String id = book(me, TUESDAY_9);
        Instant next = TUESDAY_9.plus(Duration.ofMinutes(30));
        Response moved = me.post("/api/v1/appointments/" + id + "/reschedule", Map.of("start", next.toString()));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("start")).isEqualTo(next.toString());
    }

    @Test
    void aSecondAppointmentInTheSameSpecialtyWithinSixDaysIsRefusedButARelativeMayBook() {
        ApiClient me = patient();
        book(me, TUESDAY_9);
        Response hoarding = me.post("/api/v1/appointments", slot(TUESDAY_9.plus(Duration.ofDays(3))));
        assertThat(hoarding.status()).isEqualTo(409);
        assertThat(hoarding.text("code")).isEqualTo("too-close-same-specialty");

        Response relative = me.post(
                "/api/v1/me/relatives",
                Map.of("relationship", "CHILD", "firstName", "Léo", "lastName", "Testeur", "birthDate", "2018-02-03"));
        assertThat(relative.status()).isEqualTo(201);
        Map<String, Object> forChild = slot(TUESDAY_9.plus(Duration.ofDays(3)));
        forChild.put("relativeId", relative.text("id"));
        assertThat(me.post("/api/v1/appointments", forChild).status()).isEqualTo(201);

        assertThat(me.post("/api/v1/appointments", slot(TUESDAY_9.plus(Duration.ofDays(7))))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aPersonCannotHoldMoreThanFiveAppointmentsToCome() {
        ApiClient me = patient();
        for (int week = 0; week < 5; week++) {
            assertThat(me.post("/api/v1/appointments", slot(TUESDAY_9.plus(Duration.ofDays(7L * week))))
                            .status())
                    .isEqualTo(201);
        }
        Response sixth = me.post("/api/v1/appointments", slot(TUESDAY_9.plus(Duration.ofDays(35))));
        assertThat(sixth.status()).isEqualTo(409);
        assertThat(sixth.text("code")).isEqualTo("too-many-open-appointments");
    }

    @Test
    void anotherPatientsAppointmentIsNotFound() {
        String id = book(patient(), TUESDAY_9);
        ApiClient stranger = patient();
        assertThat(stranger.get("/api/v1/appointments/" + id).status()).isEqualTo(404);
        assertThat(stranger.post("/api/v1/appointments/" + id + "/cancel", Map.of("reason", "x"))
                        .status())
                .isEqualTo(404);
        assertThat(stranger.post("/api/v1/appointments/" + id + "/confirm", null)
                        .status())
                .isEqualTo(404);
        Response missing = stranger.get("/api/v1/appointments/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        JsonNode foreign = stranger.get("/api/v1/appointments/" + id).body();
        assertThat(foreign.path("detail")).isEqualTo(missing.body().path("detail"));
        assertThat(foreign.path("title")).isEqualTo(missing.body().path("title"));
    }

    @Test
    void bookingForSomeoneElsesRelativeIsNotFound() {
        ApiClient parent = patient();
        Response child = parent.post(
                "/api/v1/me/relatives",
                Map.of("relationship", "CHILD", "firstName", "Zoé", "lastName", "Testeur", "birthDate", "2019-09-09"));
        Map<String, Object> body = slot(TUESDAY_9);
        body.put("relativeId", child.text("id"));
        assertThat(patient().post("/api/v1/appointments", body).status()).isEqualTo(404);
    }

    @Test
    void aSlotOutsideOpeningHoursOrAMotiveNotBookableOnlineIsRefused() {
        ApiClient me = patient();
        Response offHours = me.post("/api/v1/appointments", slot(Instant.parse("2027-01-05T14:00:00Z")));
        assertThat(offHours.status()).isEqualTo(409);
        assertThat(offHours.text("code")).isEqualTo("slot-unavailable");
        Map<String, Object> phoneOnly = slot(TUESDAY_9);
        phoneOnly.put("motiveId", practice.phoneOnlyMotiveId());
        assertThat(me.post("/api/v1/appointments", phoneOnly).text("code")).isEqualTo("not-bookable-online");
        Map<String, Object> followUp = slot(TUESDAY_9);
        followUp.put("motiveId", practice.followUpMotiveId());
        assertThat(me.post("/api/v1/appointments", followUp).text("code")).isEqualTo("new-patients-not-accepted");
    }

    @Test
    void badInputIsA400NamingTheFieldAndUnknownIdsAre404() {
        ApiClient me = patient();
        Map<String, Object> noPractitioner = slot(TUESDAY_9);
        noPractitioner.remove("practitionerId");
        Response missing = me.post("/api/v1/appointments", noPractitioner);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("errors").get(0).path("field").asString())
                .isEqualTo("practitionerId");

        Response badDate = me.postRaw(
                "/api/v1/appointments",
                "{\"practitionerId\":\"" + practice.practitionerId() + "\",\"siteId\":\"" + practice.siteId()
                        + "\",\"motiveId\":\"" + practice.motiveId() + "\",\"start\":\"tuesday\"}");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body().path("errors").get(0).path("field").asString())
                .isEqualTo("start");

        assertThat(me.postRaw("/api/v1/appointments", "{not json").status()).isEqualTo(400);
        assertThat(me.get("/api/v1/appointments/not-a-uuid").status()).isEqualTo(400);

        Map<String, Object> unknown = slot(TUESDAY_9);
        unknown.put("practitionerId", UUID.randomUUID());
        assertThat(me.post("/api/v1/appointments", unknown).status()).isEqualTo(404);
    }

    @Test
    void changesNeedASessionAndTheCsrfHeader() {
        assertThat(new ApiClient(port)
                        .post("/api/v1/appointments", slot(TUESDAY_9))
                        .status())
                .isEqualTo(401);
        ApiClient noCsrf = patient().withoutCsrf();
        assertThat(noCsrf.post("/api/v1/appointments", slot(TUESDAY_9)).status())
                .isEqualTo(403);
        assertThat(freeStarts(TUESDAY_9, TUESDAY_9.plus(Duration.ofHours(1)))).contains(TUESDAY_9.toString());
    }

    @Test
    void thePracticeMarksANoShowOnceTheAppointmentHasStarted() {
        ApiClient me = patient();
        String id = book(me, TUESDAY_9);
        ApiClient staff = new ApiClient(port, clock);
        staff.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);

        assertThat(staff.post("/api/v1/staff/appointments/" + id + "/no-show", null)
                        .text("code"))
                .isEqualTo("not-started");
        clock.set(TUESDAY_9.plus(Duration.ofMinutes(40)));
        // A day later Monday's sessions have ended (12 hours at most): everyone signs in again.
        assertThat(staff.get("/api/v1/me").status()).isEqualTo(401);
        staff.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        Response marked = staff.post("/api/v1/staff/appointments/" + id + "/no-show", null);
        assertThat(marked.status()).isEqualTo(200);
        assertThat(marked.text("status")).isEqualTo("NO_SHOW");
        assertThat(patient()
                        .post("/api/v1/staff/appointments/" + id + "/no-show", null)
                        .status())
                .isEqualTo(403);

        Practice other = fixtures.practice("dermatologue");
        ApiClient otherStaff = new ApiClient(port, clock);
        otherStaff.loginStaff(other.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(otherStaff
                        .post("/api/v1/staff/appointments/" + id + "/no-show", null)
                        .status())
                .isEqualTo(404);
    }

    private String book(ApiClient client, Instant start) {
        Response held = client.post("/api/v1/appointments", slot(start));
        assertThat(held.status()).as("hold %s", held.body()).isEqualTo(201);
        Response booked = client.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);
        assertThat(booked.status()).isEqualTo(200);
        return held.text("id");
    }
}
