package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
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
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A patient's name only with system/Patient.r, and phone and email only with "contact details". */
@IntegrationTest
class FhirPatientTests {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    SmartBackendClient app;
    String clientId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        app = new SmartBackendClient(port);
        clientId = SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel de cabinet",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                app.publicJwks(),
                                "scopes",
                                List.of("system/Appointment.rs", "system/Patient.r")))
                .text("clientId");
    }

    Practice grantedPractice(boolean contactDetails) {
        Practice practice = fixtures.practice("orl");
        SignIn.staff(port, practice.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId", clientId,
                                "scopes", List.of("system/Appointment.rs", "system/Patient.r"),
                                "contactDetails", contactDetails));
        return practice;
    }

    void book(Practice practice) {
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-patient-" + UUID.randomUUID() + "@test.creneau.fr");
        patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", BookingApiTests.TUESDAY_9.toString()));
    }

    IGenericClient fhir(String scopes) {
        String token = app.accessToken(clientId, clock.instant(), scopes);
        return FhirTestClient.withToken(port, token);
    }

    String patientOfTheAppointment(IGenericClient client, Practice practice) {
        Bundle found = client.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().stream()
                .map(e -> (Appointment) e.getResource())
                .filter(a -> a.getParticipant().stream()
                        .anyMatch(p -> p.getActor().getReference().equals("Practitioner/" + practice.practitionerId())))
                .flatMap(a -> a.getParticipant().stream())
                .map(p -> p.getActor().getReference())
                .filter(ref -> ref.startsWith("Patient/"))
                .findFirst()
                .orElseThrow()
                .substring("Patient/".length());
    }

    @Test
    void withoutContactDetailsAnAppSeesTheNameButNoPhoneNorEmail() {
        Practice practice = grantedPractice(false);
        book(practice);
        IGenericClient client = fhir("system/Appointment.rs system/Patient.r");
        Patient patient = client.read()
                .resource(Patient.class)
                .withId(patientOfTheAppointment(client, practice))
                .execute();
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Testeuse");
        assertThat(patient.getTelecom()).isEmpty();
    }

    @Test
    void withContactDetailsTheAppAlsoSeesPhoneAndEmail() {
        Practice practice = grantedPractice(true);
        book(practice);
        IGenericClient client = fhir("system/Appointment.rs system/Patient.r");
        Patient patient = client.read()
                .resource(Patient.class)
                .withId(patientOfTheAppointment(client, practice))
                .execute();
        assertThat(patient.getTelecom()).extracting(t -> t.getSystem().toCode()).contains("phone", "email");
    }

    @Test
    void withoutThePatientScopeAPatientIsForbiddenAndAStrangerIsNotFound() {
        Practice practice = grantedPractice(false);
        book(practice);
        IGenericClient withPatients = fhir("system/Appointment.rs system/Patient.r");
        String patientId = patientOfTheAppointment(withPatients, practice);
        IGenericClient appointmentsOnly = fhir("system/Appointment.rs");
        assertThatThrownBy(() -> appointmentsOnly
                        .read()
                        .resource(Patient.class)
                        .withId(patientId)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> withPatients
                        .read()
                        .resource(Patient.class)
                        .withId(UUID.randomUUID().toString())
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
