package org.creneau.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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

/**
 * Rate limits with their defaults, per address and per account: a family or a hospital behind one
 * address books at ease, a flood from one address or one account is refused with Retry-After.
 * Clients here come "through the proxy" from documentation addresses (RFC 5737), each test its own.
 */
@IntegrationTest
class RateLimitTests {

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
        practice = fixtures.practice("ophtalmologue");
    }

    @Test
    void fiftyPatientsRegisterLogInAndBookFromOneAddressWithinAMinute() {
        String address = "198.51.100." + (1 + (int) (Math.random() * 250));
        List<String> starts = new ApiClient(port)
                .from(address)
                .get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + practice.motiveId()
                        + "&from=2027-01-05T00:00:00Z&to=2027-02-04T00:00:00Z")
                .body()
                .path("slots")
                .valueStream()
                .map(s -> s.path("start").asString())
                .toList();
        assertThat(starts).hasSizeGreaterThanOrEqualTo(50);
        for (int i = 0; i < 50; i++) {
            ApiClient patient = new ApiClient(port).from(address);
            patient.registerAndLogin("famille-" + i + "-" + UUID.randomUUID() + "@test.creneau.fr");
            Response held = patient.post(
                    "/api/v1/appointments",
                    Map.of(
                            "practitionerId", practice.practitionerId(),
                            "siteId", practice.siteId(),
                            "motiveId", practice.motiveId(),
                            "start", starts.get(i)));
            assertThat(held.status()).as("hold %d: %s", i, held.body()).isEqualTo(201);
            Response booked = patient.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);
            assertThat(booked.status()).as("booking %d", i).isEqualTo(200);
        }
    }

    @Test
    void aFloodFromOneAddressIsRefusedWithRetryAfterAndOtherAddressesGoOn() {
        String address = "203.0.113." + (1 + (int) (Math.random() * 250));
        ApiClient flood = new ApiClient(port).from(address);
        Response last = null;
        int served = 0;
        for (int i = 0; i < 700; i++) {
            last = flood.get("/api/v1/specialties");
            if (last.status() != 200) {
                break;
            }
            served++;
        }
        assertThat(served).isEqualTo(600);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(last.raw().headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
        assertThat(new ApiClient(port)
                        .from("192.0.2.77")
                        .get("/api/v1/specialties")
                        .status())
                .isEqualTo(200);

        clock.set(clock.instant().plusSeconds(1));
        assertThat(flood.get("/api/v1/specialties").status())
                .as("a second refills 10 requests")
                .isEqualTo(200);
    }

    @Test
    void aSignedInAccountIsLimitedOnItsOwnWhateverItsAddress() {
        ApiClient patient = new ApiClient(port).from("198.51.100.200");
        patient.registerAndLogin("pressee-" + UUID.randomUUID() + "@test.creneau.fr");
        int served = 0;
        Response last = null;
        for (int i = 0; i < 700; i++) {
            patient.from("192.0.2." + (i % 200 + 1));
            last = patient.get("/api/v1/specialties");
            if (last.status() != 200) {
                break;
            }
            served++;
        }
        assertThat(served).isEqualTo(600);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.raw().headers().firstValue("Retry-After")).isPresent();
        Instant later = clock.instant().plusSeconds(60);
        clock.set(later);
        assertThat(patient.get("/api/v1/specialties").status()).isEqualTo(200);
    }

    @Test
    void requestsRefusedBeforeAnyHandlerAreCountedAndAFloodOfBadTokensIsRefused() {
        String address = "203.0.113." + (1 + (int) (Math.random() * 250));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int refusedAs401 = 0;
        int status = 0;
        for (int i = 0; i < 700 && status != 429; i++) {
            status = send(
                    http,
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://localhost:" + port + "/fhir/Appointment"))
                            .header("X-Forwarded-For", address)
                            .header("Authorization", "Bearer not-a-token-" + i)
                            .GET()
                            .build());
            if (status == 401) {
                refusedAs401++;
            }
        }
        assertThat(status).isEqualTo(429);
        // Counted once answered: the 601st is answered, finds the bucket empty, and the next is refused.
        assertThat(refusedAs401).isEqualTo(601);

        // The token endpoint, answered by Spring Security's own filters, is limited by the same bucket.
        int token = send(
                http,
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/oauth2/token"))
                        .header("X-Forwarded-For", address)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build());
        assertThat(token).isEqualTo(429);

        // Another address goes on, and a minute later this one too.
        assertThat(new ApiClient(port)
                        .from("192.0.2.78")
                        .get("/api/v1/specialties")
                        .status())
                .isEqualTo(200);
        clock.set(clock.instant().plusSeconds(60));
        assertThat(new ApiClient(port).from(address).get("/api/v1/specialties").status())
                .isEqualTo(200);
    }

    private static int send(java.net.http.HttpClient http, java.net.http.HttpRequest request) {
        try {
            return http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
