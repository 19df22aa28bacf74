package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad FHIR search input answers a 400 OperationOutcome and is logged as one warning line; a window
 * written with dates is read like the same window written with times; {@code _count=0} answers the
 * total alone; the CapabilityStatement names Créneau.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class FhirBadInputTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    final HttpClient http = HttpClient.newHttpClient();
    Practice practice;
    String token;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("pediatre");
        GrantedApp app = GrantedApp.on(
                port,
                clock,
                fixtures,
                practice,
                List.of("system/Appointment.rs", "system/Schedule.rs", "system/HealthcareService.rs"));
        token = app.token();
    }

    @Test
    void aNegativeCountIsA400OperationOutcome() throws Exception {
        assertRefused(search("/fhir/Schedule?_count=-5"));
        assertRefused(search("/fhir/Appointment?date=ge2027-01-04&date=lt2027-01-11&_count=-1"));
    }

    @Test
    void anInvalidDateIsA400LoggedAsOneWarningLine(CapturedOutput output) throws Exception {
        int before = output.getOut().length();
        HttpResponse<String> response = search("/fhir/Appointment?date=ge2026-13-45&date=lt2026-12-22");
        assertRefused(response);
        assertThat(response.body()).doesNotContain("HAPI-").doesNotContain("Exception");
        String logged = output.getOut().substring(before);
        assertThat(logged).contains("WARN").doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    @Test
    void aThirtyDayWindowWrittenWithDatesIsAcceptedLikeTheSameInTimes() throws Exception {
        assertThat(search("/fhir/Appointment?date=ge2026-11-22&date=lt2026-12-22")
                        .statusCode())
                .isEqualTo(200);
        assertThat(search("/fhir/Appointment?date=ge2026-11-22T00:00:00Z&date=lt2026-12-22T00:00:00Z")
                        .statusCode())
                .isEqualTo(200);
        // le takes the whole last day: 31 days, the most a window may span.
        assertThat(search("/fhir/Appointment?date=ge2026-11-22&date=le2026-12-22")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aThirtyTwoDayWindowWrittenWithDatesIsRefused() throws Exception {
        assertRefused(search("/fhir/Appointment?date=ge2026-11-22&date=lt2026-12-24"));
        assertRefused(search("/fhir/Appointment?date=ge2026-11-22&date=le2026-12-23"));
    }

    @Test
    void aWindowOutsideTheYears1900To9999IsRefused() throws Exception {
        assertRefused(search("/fhir/Appointment?date=ge1850-01-01&date=lt1850-01-20"));
    }

    @Test
    void aRepeatedCountIsA400OperationOutcome() throws Exception {
        assertRefused(search("/fhir/Schedule?_count=1&_count=2"));
        assertRefused(search("/fhir/Appointment?date=ge2027-01-04&date=lt2027-01-11&_count=1&_count=3"));
    }

    @Test
    void countZeroAnswersTheTotalAloneWithNoEntryAndNoLinkToAnotherPage() throws Exception {
        for (Instant start : List.of(BookingApiTests.TUESDAY_9, BookingApiTests.TUESDAY_9.plus(Duration.ofHours(1)))) {
            ApiClient patient = new ApiClient(port);
            patient.registerAndLogin("count-" + UUID.randomUUID() + "@test.creneau.fr");
            Response held = patient.post(
                    "/api/v1/appointments",
                    Map.of(
                            "practitionerId", practice.practitionerId(),
                            "siteId", practice.siteId(),
                            "motiveId", practice.motiveId(),
                            "start", start.toString()));
            assertThat(held.status()).isEqualTo(201);
        }
        assertTotalAlone(search("/fhir/Appointment?date=ge2027-01-05&date=lt2027-01-06&_count=0"), 2);
        // The practice's three motives: more than one, so a page of one is not taken for the total.
        assertTotalAlone(search("/fhir/HealthcareService?_count=0"), 3);
    }

    @Test
    void theCapabilityStatementNamesCreneauAndItsVersionAsTheSoftware() throws Exception {
        JsonNode statement = JSON.readTree(search("/fhir/metadata").body());
        assertThat(statement.path("resourceType").asString()).isEqualTo("CapabilityStatement");
        assertThat(statement.path("software").path("name").asString()).isEqualTo("Créneau");
        assertThat(statement.path("software").path("version").asString())
                .isNotBlank()
                .doesNotContain("@")
                .isNotEqualTo("8.8.1");
        assertThat(statement.path("publisher").asString()).isEqualTo("Créneau");
        assertThat(statement.toString()).doesNotContain("HAPI");
    }

    private void assertTotalAlone(HttpResponse<String> response, int total) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode bundle = JSON.readTree(response.body());
        assertThat(bundle.path("total").asInt()).as(response.body()).isEqualTo(total);
        assertThat(bundle.path("entry").size()).as(response.body()).isZero();
        assertThat(bundle.path("link").valueStream().map(l -> l.path("relation").asString()))
                .doesNotContain("next", "previous", "last");
    }

    private void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("resourceType").asString()).isEqualTo("OperationOutcome");
        assertThat(response.body()).doesNotContain("\tat ");
    }

    private HttpResponse<String> search(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
