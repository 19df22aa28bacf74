package org.creneau.availability;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.creneau.booking.BookingApiTests;
import org.creneau.platform.TimeWindow;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.StatementCounter;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Free slots are kept per agenda and day in the node's memory, yet what is served follows every
 * change at once: bookings, cancellations, lapsed holds, absences, opening ranges, motives and the
 * passing of time. Seen through the JSON API, public search and FHIR Slot search.
 */
@IntegrationTest
class KeptAvailabilityTests {

    /** Tuesday 5 January 2027, 09:00 and 09:30 in Paris. */
    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    static final Instant TUESDAY_930 = TUESDAY_9.plus(Duration.ofMinutes(30));

    /** Monday 4 January 2027, 09:00 in Paris: the first slot the search finds from Monday morning. */
    static final Instant MONDAY_9 = Instant.parse("2027-01-04T08:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    SlotFinder slots;

    Practice practice;
    String city;
    SmartBackendClient app;
    String clientId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        city = "Gardeville" + UUID.randomUUID().toString().replaceAll("[^a-z]", "");
        practice = fixtures.practice("dermatologue", city, 45.1, 4.1);
        app = new SmartBackendClient(port);
        clientId = SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Agenda partagé",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                app.publicJwks(),
                                "scopes",
                                List.of("system/Slot.rs")))
                .text("clientId");
        SignIn.staff(port, practice.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of("clientId", clientId, "scopes", List.of("system/Slot.rs"), "contactDetails", false));
    }

    /** A FHIR client with a token signed at the clock's time (tests move the clock past a token's life). */
    IGenericClient fhir() {
        return FhirTestClient.withToken(port, app.accessToken(clientId, clock.instant(), "system/Slot.rs"));
    }

    /** Starts of the free slots of the main motive on Tuesday, through the JSON API. */
    List<Instant> apiSlots() {
        Response r = new ApiClient(port)
                .get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + practice.motiveId()
                        + "&from=2027-01-05&to=2027-01-06");
        assertThat(r.status()).isEqualTo(200);
        return StreamSupport.stream(r.body().path("slots").spliterator(), false)
                .map(s -> Instant.parse(s.path("start").asText()))
                .toList();
    }

    /** Starts of Tuesday's slots of the given FHIR status on the agenda. */
    List<Instant> fhirSlots(String status) {
        Bundle bundle = fhir().search()
                .forResource(Slot.class)
                .where(Slot.SCHEDULE.hasId("Schedule/" + practice.practitionerId()))
                .and(Slot.START.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Slot.START.before().second("2027-01-06T00:00:00Z"))
                .and(Slot.STATUS.exactly().code(status))
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream()
                .map(e -> ((Slot) e.getResource()).getStart().toInstant())
                .distinct()
                .toList();
    }

    /** The next free slot public search shows for the practice. */
    Instant searchNextSlot() {
        Response r = new ApiClient(port).get("/api/v1/search?specialty=dermatologue&city=" + city);
        assertThat(r.status()).isEqualTo(200);
        return Instant.parse(
                r.body().path("items").get(0).path("nextSlot").path("start").asText());
    }

    ApiClient patient() {
        ApiClient client = new ApiClient(port, clock);
        client.registerAndLogin("kept-" + UUID.randomUUID() + "@test.creneau.fr");
        return client;
    }

    Response hold(ApiClient who, Instant start) {
        return who.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", start.toString()));
    }

    @Test
    void aSlotTakenByAnotherPatientIsNotServedFreeAndItsCancellationFreesItAtOnce() {
        assertThat(apiSlots()).contains(TUESDAY_9);
        assertThat(fhirSlots("free")).contains(TUESDAY_9);
        assertThat(fhirSlots("busy")).doesNotContain(TUESDAY_9);

        ApiClient other = patient();
        Response held = hold(other, TUESDAY_9);
        assertThat(held.status()).isEqualTo(201);
        assertThat(other.post("/api/v1/appointments/" + held.text("id") + "/confirm", null)
                        .status())
                .isEqualTo(200);

        assertThat(apiSlots()).doesNotContain(TUESDAY_9).contains(TUESDAY_930);
        assertThat(fhirSlots("free")).doesNotContain(TUESDAY_9);
        assertThat(fhirSlots("busy")).containsExactly(TUESDAY_9);
        assertThat(hold(patient(), TUESDAY_9).status()).isEqualTo(409);

        assertThat(other.post("/api/v1/appointments/" + held.text("id") + "/cancel", Map.of("reason", "Empêchement"))
                        .status())
                .isEqualTo(200);
        assertThat(apiSlots()).contains(TUESDAY_9);
        assertThat(fhirSlots("free")).contains(TUESDAY_9);
        assertThat(fhirSlots("busy")).isEmpty();
    }

    @Test
    void publicSearchMovesToTheNextSlotWhenTheFirstIsTakenAndBackWhenItIsFreed() {
        assertThat(searchNextSlot()).isEqualTo(MONDAY_9);
        ApiClient other = patient();
        Response held = hold(other, MONDAY_9);
        assertThat(held.status()).isEqualTo(201);
        assertThat(searchNextSlot()).isEqualTo(MONDAY_9.plus(Duration.ofMinutes(30)));
        other.post("/api/v1/appointments/" + held.text("id") + "/cancel", Map.of("reason", "Empêchement"));
        assertThat(searchNextSlot()).isEqualTo(MONDAY_9);
    }

    @Test
    void aLapsedHoldFreesItsSlotWithoutWaitingForTheSweep() {
        assertThat(apiSlots()).contains(TUESDAY_9);
        assertThat(hold(patient(), TUESDAY_9).status()).isEqualTo(201);
        assertThat(apiSlots()).doesNotContain(TUESDAY_9);
        assertThat(fhirSlots("free")).doesNotContain(TUESDAY_9);

        // The sweep runs hourly in tests: only the hold's own expiry can free the slot here.
        clock.advance(Duration.ofMinutes(11));
        assertThat(apiSlots()).contains(TUESDAY_9);
        assertThat(fhirSlots("free")).contains(TUESDAY_9);
    }

    @Test
    void anAbsenceAndOpeningRangeChangesShowAtOnce() {
        ApiClient staff = SignIn.staff(port, practice.staffEmail());
        String base = "/api/v1/staff/agendas/" + practice.practitionerId();
        assertThat(apiSlots()).contains(TUESDAY_9, TUESDAY_930);

        Response absence = staff.post(
                base + "/absences",
                Map.of(
                        "from",
                        TUESDAY_9.toString(),
                        "to",
                        TUESDAY_9.plus(Duration.ofHours(1)).toString(),
                        "reason",
                        "Formation"));
        assertThat(absence.status()).isEqualTo(201);
        assertThat(apiSlots()).doesNotContain(TUESDAY_9, TUESDAY_930);
        assertThat(fhirSlots("free")).doesNotContain(TUESDAY_9, TUESDAY_930);

        assertThat(staff.delete(base + "/absences/" + absence.text("id")).status())
                .isEqualTo(204);
        assertThat(apiSlots()).contains(TUESDAY_9, TUESDAY_930);

        Instant tuesday14 = Instant.parse("2027-01-05T13:00:00Z");
        Response range = staff.post(
                base + "/opening-ranges",
                Map.of(
                        "siteId", practice.siteId().toString(),
                        "weekday", "TUESDAY",
                        "start", "14:00",
                        "end", "15:00",
                        "validFrom", "2027-01-01",
                        "motiveIds", List.of(practice.motiveId().toString())));
        assertThat(range.status()).isEqualTo(201);
        assertThat(apiSlots()).contains(tuesday14);
        assertThat(fhirSlots("free")).contains(tuesday14);

        assertThat(staff.delete(base + "/opening-ranges/" + range.text("id")).status())
                .isEqualTo(204);
        assertThat(apiSlots()).doesNotContain(tuesday14);
        assertThat(fhirSlots("free")).doesNotContain(tuesday14);
    }

    @Test
    void aMotiveChangeShowsAtOnce() {
        ApiClient staff = SignIn.staff(port, practice.staffEmail());
        assertThat(apiSlots()).contains(TUESDAY_930);
        Response changed = staff.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/motives/" + practice.motiveId(),
                Map.of(
                        "label",
                        "Consultation longue",
                        "durationMinutes",
                        60,
                        "onlineBookable",
                        true,
                        "newPatientsAllowed",
                        true));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(apiSlots()).contains(TUESDAY_9).doesNotContain(TUESDAY_930);
    }

    @Test
    void aSlotWhoseBookingTimeHasPassedIsNotServedFromWhatWasKept() {
        // Bookable until one hour before it starts (the practice's notice).
        clock.set(TUESDAY_9.minus(Duration.ofHours(1)).minusSeconds(1));
        assertThat(apiSlots()).contains(TUESDAY_9, TUESDAY_930);
        clock.advance(Duration.ofSeconds(2));
        assertThat(apiSlots()).doesNotContain(TUESDAY_9).contains(TUESDAY_930);
        assertThat(fhirSlots("free")).doesNotContain(TUESDAY_9).contains(TUESDAY_930);
    }

    @Test
    void aRepeatedSlotSearchIsServedFromWhatTheNodeKeptWithoutAStatement() {
        TimeWindow tuesday =
                new TimeWindow(Instant.parse("2027-01-05T00:00:00Z"), Instant.parse("2027-01-06T00:00:00Z"));
        List<org.creneau.availability.Slot> first =
                slots.freeSlots(practice.practitionerId(), practice.motiveId(), tuesday);
        var again =
                StatementCounter.count(() -> slots.freeSlots(practice.practitionerId(), practice.motiveId(), tuesday));
        assertThat(again.value()).isEqualTo(first).isNotEmpty();
        assertThat(again.counted().statements()).isEmpty();
    }
}
