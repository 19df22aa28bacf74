package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.creneau.support.Fixtures;
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
 * written with dates is read like the same window written with times.
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
    String token;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        GrantedApp app = GrantedApp.on(
                port,
                clock,
                fixtures,
                fixtures.practice("pediatre"),
                List.of("system/Appointment.rs", "system/Schedule.rs"));
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
