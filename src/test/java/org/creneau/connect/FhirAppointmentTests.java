package org.creneau.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real HAPI FHIR client, with a token from the real token endpoint, reads appointments within
 * its grant only; every resource returned passes HAPI's validator against base R4.
 */
@IntegrationTest
class FhirAppointmentTests {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;
    ApiClient orgAdmin;
    String grantId;
    String clientId;
    SmartBackendClient app;
    String appointmentId;
    IGenericClient fhir;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("pediatre");
        ApiClient platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        orgAdmin = SignIn.staff(port, practice.adminEmail());
        app = new SmartBackendClient(port);
        Response registered = platform.post(
                "/api/v1/admin/connected-apps",
                Map.of(
                        "name",
                        "Logiciel de cabinet",
                        "contact",
                        "securite@editeur.example",
                        "jwks",
                        app.publicJwks(),
                        "scopes",
                        List.of("system/Appointment.rs", "system/Patient.r")));
        clientId = registered.text("clientId");
        grantId = orgAdmin.post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId",
                                clientId,
                                "scopes",
                                List.of("system/Appointment.rs"),
                                "contactDetails",
                                false))
                .text("id");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-" + UUID.randomUUID() + "@test.creneau.fr");
        appointmentId = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        String token = app.requestToken(
                        app.sign(app.claims(clientId, clock.instant()).build(), app.rsa), "system/Appointment.rs")
                .accessToken();
        assertThat(token).isNotNull();
        fhir = FhirTestClient.withToken(port, token);
    }

    @Test
    void anAppSearchesItsGrantedAgendaByDateAndEveryResourceIsValidR4() {
        Bundle found = fhir.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .returnBundle(Bundle.class)
                .execute();
        List<Appointment> appointments = found.getEntry().stream()
                .map(e -> (Appointment) e.getResource())
                .toList();
        assertThat(appointments).extracting(a -> a.getIdElement().getIdPart()).containsExactly(appointmentId);
        Appointment a = appointments.get(0);
        assertThat(a.getStatus()).isEqualTo(Appointment.AppointmentStatus.PENDING);
        assertThat(a.getParticipant())
                .extracting(p -> p.getActor().getReference())
                .anySatisfy(ref -> assertThat(ref).startsWith("Patient/"));
        assertThat(FHIR.newJsonParser().encodeResourceToString(a))
                .doesNotContain("Testeuse")
                .doesNotContain("Jeanne");

        Appointment read =
                fhir.read().resource(Appointment.class).withId(appointmentId).execute();
        assertThat(read.getStart()).isEqualTo(a.getStart());
        for (var resource : List.of(read, found)) {
            assertThat(FhirTestClient.errorsOf(resource)).isEmpty();
        }
        CapabilityStatement capabilities =
                fhir.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capabilities.getRestFirstRep().getResource())
                .extracting(r -> r.getType())
                .contains("Appointment");
    }

    @Test
    void anotherOrganizationsAppointmentIsNotFoundAndASearchWithoutAWindowIsRefused() {
        Practice other = fixtures.practice("pediatre");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-other-" + UUID.randomUUID() + "@test.creneau.fr");
        String foreign = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", other.practitionerId(),
                                "siteId", other.siteId(),
                                "motiveId", other.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        assertThatThrownBy(() ->
                        fhir.read().resource(Appointment.class).withId(foreign).execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(UUID.randomUUID().toString())
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE.afterOrEquals().second("2027-01-01T00:00:00Z"))
                        .and(Appointment.DATE.before().second("2027-03-01T00:00:00Z"))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aSuspendedGrantStopsATokenIssuedBefore() {
        assertThat(orgAdmin.post("/api/v1/staff/connected-app-grants/" + grantId + "/suspend", null)
                        .status())
                .isEqualTo(200);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(appointmentId)
                        .execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void aMissingExpiredOrGarbageTokenGets401WithWwwAuthenticateAndAnOperationOutcome() throws Exception {
        String expired = app.requestToken(
                        app.sign(app.claims(clientId, clock.instant()).build(), app.rsa), "system/Appointment.rs")
                .accessToken();
        clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofMinutes(10)));
        HttpClient http = HttpClient.newHttpClient();
        URI search = URI.create("http://localhost:" + port
                + "/fhir/Appointment?date=ge2027-01-05T00:00:00Z&date=lt2027-01-06T00:00:00Z");
        for (String authorization : new String[] {null, "Bearer " + expired, "Bearer not.a.token"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(search).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/fhir+json"));
            OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
            assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
            assertThat(FhirTestClient.errorsOf(outcome)).isEmpty();
        }
    }
}
