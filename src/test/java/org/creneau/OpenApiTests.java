package org.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import org.creneau.support.ApiClient;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class OpenApiTests {

    @LocalServerPort
    int port;

    @Test
    void theJsonApiIsDocumentedByOpenApi() {
        var docs = new ApiClient(port).get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").propertyNames())
                .contains(
                        "/api/v1/specialties",
                        "/api/v1/search",
                        "/api/v1/practitioners/{id}",
                        "/api/v1/practitioners/{id}/slots",
                        "/api/v1/accounts",
                        "/api/v1/auth/login",
                        "/api/v1/appointments",
                        "/api/v1/appointments/{id}/confirm",
                        "/api/v1/appointments/{id}/cancel",
                        "/api/v1/appointments/{id}/reschedule",
                        "/api/v1/me/appointments");
    }

    @Test
    void unknownRoutesAreRefusedAsProblems() {
        var response = new ApiClient(port).get("/api/v1/nothing-here");
        assertThat(response.status()).isIn(401, 404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(new ApiClient(port).get("/etc/passwd").status()).isIn(401, 403, 404);
    }
}
