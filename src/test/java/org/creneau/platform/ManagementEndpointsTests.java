package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** Health and metrics answer on the management port, and only there. */
@IntegrationTest
class ManagementEndpointsTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int publicPort;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void livenessAndReadinessAnswerUpOnTheManagementPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(publicPort);

        HttpResponse<String> readiness = get(managementPort, "/actuator/health/readiness");
        HttpResponse<String> liveness = get(managementPort, "/actuator/health/liveness");

        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"UP\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"");
    }

    @Test
    void prometheusMetricsNameRequestsByRouteAndStatusAndTheDatabasePool() throws Exception {
        get(publicPort, "/api/v1/specialties");

        HttpResponse<String> metrics = get(managementPort, "/actuator/prometheus");

        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count{")
                .contains("application=\"creneau\"")
                .contains("uri=\"/api/v1/specialties\"")
                .contains("hikaricp_connections_active")
                .contains("creneau_appointment_events_total{")
                .contains("kind=\"booked\"")
                .contains("creneau_guard_containments_total")
                .contains("creneau_journal_append_seconds_count");
    }

    @Test
    void messagesSentAreCountedByChannel() throws Exception {
        // Registering mails a verification link through the outbox; the worker sends it shortly.
        new org.creneau.support.ApiClient(publicPort)
                .post(
                        "/api/v1/accounts",
                        java.util.Map.of(
                                "email", "metrics-" + java.util.UUID.randomUUID() + "@test.creneau.fr",
                                "phone", "+33 6 12 34 56 78",
                                "password", org.creneau.support.Fixtures.PASSWORD,
                                "firstName", "Jeanne",
                                "lastName", "Mesure",
                                "birthDate", "1985-04-12"));
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        String metrics = "";
        while (java.time.Instant.now().isBefore(deadline)) {
            metrics = get(managementPort, "/actuator/prometheus").body();
            if (metrics.lines()
                    .anyMatch(l -> l.startsWith("creneau_messages_total{") && l.contains("outcome=\"sent\""))) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(metrics.lines())
                .anyMatch(l -> l.startsWith("creneau_messages_total{")
                        && l.contains("channel=\"EMAIL\"")
                        && l.contains("outcome=\"sent\""));
    }

    @Test
    void thePublicPortServesNeitherHealthNorMetrics() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"}) {
            HttpResponse<String> answer = get(publicPort, path);

            assertThat(answer.statusCode()).as(path).isIn(401, 404);
            assertThat(answer.body()).as(path).doesNotContain("UP").doesNotContain("hikaricp");
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
