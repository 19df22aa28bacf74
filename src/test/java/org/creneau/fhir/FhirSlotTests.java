package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Practice software lists its granted agendas, their free slots (the same ones patients see) and
 * their busy time.
 */
@IntegrationTest
class FhirSlotTests {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;
    Practice other;
    IGenericClient fhir;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("osteopathe");
        other = fixtures.practice("osteopathe");
        SmartBackendClient app = new SmartBackendClient(port);
        String clientId = SignIn.platformAdmin(port, fixtures.platformAdmin())
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
                                List.of("system/Slot.rs", "system/Schedule.rs")))
                .text("clientId");
        SignIn.staff(port, practice.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId",
                                clientId,
                                "scopes",
                                List.of("system/Slot.rs", "system/Schedule.rs"),
                                "contactDetails",
                                false));
        String token = app.accessToken(clientId, clock.instant(), "system/Slot.rs system/Schedule.rs");
        fhir = FhirTestClient.withToken(port, token);
    }

    List<Slot> freeSlots(Practice of) {
        return slots(of, "free");
    }

    /** The slots of Tuesday 5 January 2027 on {@code of}'s agenda, of the given status (both if null). */
    List<Slot> slots(Practice of, String status) {
        IQuery<IBaseBundle> query = fhir.search()
                .forResource(Slot.class)
                .where(Slot.SCHEDULE.hasId("Schedule/" + of.practitionerId()))
                .and(Slot.START.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Slot.START.before().second("2027-01-06T00:00:00Z"));
        if (status != null) {
            query = query.and(Slot.STATUS.exactly().code(status));
        }
        Bundle bundle = query.returnBundle(Bundle.class).execute();
        return bundle.getEntry().stream().map(e -> (Slot) e.getResource()).toList();
    }

    String bookTuesdayNine(Practice at) {
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-busy-" + UUID.randomUUID() + "@test.creneau.fr");
        return patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", at.practitionerId(),
                                "siteId", at.siteId(),
                                "motiveId", at.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
    }

    @Test
    void theSlotsOfAGrantedAgendaAreThoseThePublicSeesAndValidR4() {
        Bundle schedules = fhir.search()
                .forResource(Schedule.class)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(schedules.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(practice.practitionerId().toString());

        List<Slot> slots = freeSlots(practice);
        ApiClient anonymous = new ApiClient(port);
        int publicCount = 0;
        for (var motive : List.of(practice.motiveId(), practice.followUpMotiveId())) {
            publicCount += anonymous
                    .get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + motive
                            + "&from=2027-01-05T00:00:00Z&to=2027-01-06T00:00:00Z")
                    .body()
                    .path("slots")
                    .size();
        }
        assertThat(slots).hasSize(publicCount).isNotEmpty();
        assertThat(slots).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(Slot.SlotStatus.FREE));
        for (var resource : List.of(slots.get(0), schedules.getEntryFirstRep().getResource())) {
            assertThat(FhirTestClient.errorsOf(resource)).isEmpty();
        }
    }

    @Test
    void anAgendaOutsideTheGrantHasNoSlotToShow() {
        assertThat(freeSlots(other)).isEmpty();
    }

    @Test
    void aBookingShowsAsABusySlotThatNamesNeitherThePatientNorTheAppointment() {
        assertThat(slots(practice, "busy")).isEmpty();
        String appointmentId = bookTuesdayNine(practice);

        List<Slot> busy = slots(practice, "busy");

        assertThat(busy).hasSize(1);
        Slot taken = busy.get(0);
        assertThat(taken.getStatus()).isEqualTo(Slot.SlotStatus.BUSY);
        assertThat(taken.getStart().toInstant()).isEqualTo(BookingApiTests.TUESDAY_9);
        assertThat(taken.getEnd().toInstant()).isEqualTo(BookingApiTests.TUESDAY_9.plusSeconds(30 * 60));
        assertThat(taken.getSchedule().getReference()).isEqualTo("Schedule/" + practice.practitionerId());
        String json = FHIR.newJsonParser().encodeResourceToString(taken);
        assertThat(json).doesNotContain("Patient").doesNotContain(appointmentId).doesNotContain("Appointment");
        assertThat(FhirTestClient.errorsOf(taken)).isEmpty();
        assertThat(slots(practice, "busy").get(0).getIdElement().getIdPart())
                .isEqualTo(taken.getIdElement().getIdPart());
        assertThat(freeSlots(practice)).noneMatch(s -> s.getStart().toInstant().equals(BookingApiTests.TUESDAY_9));

        List<Slot> both = slots(practice, null);
        assertThat(both).extracting(Slot::getStatus).contains(Slot.SlotStatus.FREE, Slot.SlotStatus.BUSY);
        assertThat(both).hasSize(Math.min(50, freeSlots(practice).size() + 1));
        assertThat(both).isSortedAccordingTo(java.util.Comparator.comparing(Slot::getStart));
    }

    @Test
    void theBusyTimeOfAnAgendaOutsideTheGrantIsNotShownAndAnUnknownStatusIsRefused() {
        bookTuesdayNine(other);
        assertThat(slots(other, "busy")).isEmpty();
        assertThat(slots(other, null)).isEmpty();
        assertThatThrownBy(() -> slots(practice, "taken")).isInstanceOf(InvalidRequestException.class);
    }
}
