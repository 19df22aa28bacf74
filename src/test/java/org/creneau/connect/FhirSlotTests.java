package org.creneau.connect;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.List;
import java.util.Map;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Practice software lists its granted agendas and their free slots, the same ones patients see. */
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
        String token = app.requestToken(
                        app.sign(app.claims(clientId, clock.instant()).build(), app.rsa),
                        "system/Slot.rs system/Schedule.rs")
                .accessToken();
        fhir = FhirTestClient.withToken(port, token);
    }

    List<Slot> freeSlots(Practice of) {
        Bundle bundle = fhir.search()
                .forResource(Slot.class)
                .where(Slot.SCHEDULE.hasId("Schedule/" + of.practitionerId()))
                .and(Slot.START.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Slot.START.before().second("2027-01-06T00:00:00Z"))
                .and(Slot.STATUS.exactly().code("free"))
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream().map(e -> (Slot) e.getResource()).toList();
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
}
