package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Duration;
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
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** FHIR vread and _history of an Appointment, from the history the database keeps of every change. */
@IntegrationTest
class FhirAppointmentHistoryTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Test
    void anAppReadsAnEarlierVersionAndListsTheHistoryAfterTwoChanges() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        SmartBackendClient keys = new SmartBackendClient(port);
        String scopes = "system/Appointment.rs system/Appointment.cu";
        String clientId = SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel d'agenda",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                keys.publicJwks(),
                                "scopes",
                                List.of(scopes.split(" "))))
                .text("clientId");
        Practice practice = fixtures.practice("orl");
        SignIn.staff(port, practice.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of("clientId", clientId, "scopes", List.of(scopes.split(" ")), "contactDetails", false));
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("history-" + UUID.randomUUID() + "@test.creneau.fr");
        String id = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        // Two changes: the patient confirms the hold, the practice's software cancels.
        clock.advance(Duration.ofMinutes(1));
        assertThat(patient.post("/api/v1/appointments/" + id + "/confirm", null).status())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        IGenericClient app = FhirTestClient.withToken(port, keys.accessToken(clientId, clock.instant(), scopes));
        Appointment cancel = new Appointment();
        cancel.setId(id);
        cancel.setStatus(Appointment.AppointmentStatus.CANCELLED);
        cancel.getCancelationReason().setText("Annulé par le logiciel");
        app.update().resource(cancel).execute();

        Appointment first =
                app.read().resource(Appointment.class).withIdAndVersion(id, "1").execute();
        assertThat(first.getStatus()).isEqualTo(Appointment.AppointmentStatus.PENDING);
        assertThat(first.getMeta().getVersionId()).isEqualTo("1");
        Appointment second =
                app.read().resource(Appointment.class).withIdAndVersion(id, "2").execute();
        assertThat(second.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(app.read().resource(Appointment.class).withId(id).execute().getStatus())
                .isEqualTo(Appointment.AppointmentStatus.CANCELLED);

        Bundle history = app.history()
                .onInstance("Appointment/" + id)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry().stream()
                        .map(e -> ((Appointment) e.getResource()).getMeta().getVersionId() + ":"
                                + ((Appointment) e.getResource()).getStatus().toCode()))
                .containsExactly("3:cancelled", "2:booked", "1:pending");
        assertThatThrownBy(() -> app.read()
                        .resource(Appointment.class)
                        .withIdAndVersion(id, "9")
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
