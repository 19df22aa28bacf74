package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A connected app is rate-limited by its client id, all its tokens together, whatever its address. */
@IntegrationTest
class AppRateLimitTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Test
    void anAppOverItsRequestsPerMinuteGets429WithRetryAfterAsAnOperationOutcome() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        GrantedApp app = GrantedApp.on(port, clock, fixtures, fixtures.practice("orl"), List.of("system/Schedule.rs"));
        HttpClient http = HttpClient.newHttpClient();
        String[] tokens = {app.token(), app.token()};
        HttpResponse<String> last = null;
        int served = 0;
        for (int i = 0; i < 1300; i++) {
            last = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Schedule"))
                            .header("Authorization", "Bearer " + tokens[i % 2])
                            .header("X-Forwarded-For", "198.51.100." + (i % 200 + 1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() != 200) {
                break;
            }
            served++;
        }
        assertThat(served).isEqualTo(1200);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.body()).contains("\"resourceType\":\"OperationOutcome\"", "throttled");
        assertThat(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
        assertThat(app.status()).as("a rate limit refuses, it does not suspend").isEqualTo("ACTIVE");
    }
}
