package org.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.creneau.support.ApiClient;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document describes every route of the JSON API, as the application maps them. */
@IntegrationTest
class OpenApiTests {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteOfTheJsonApiIsInTheOpenApiDocument() {
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods()
                .keySet()
                .forEach(info -> info.getPatternValues().stream()
                        .filter(pattern -> pattern.startsWith("/api/"))
                        .forEach(pattern -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> mapped.add(method.name() + " " + pattern))));
        JsonNode paths = new ApiClient(port).get("/v3/api-docs").body().path("paths");
        Set<String> documented = new TreeSet<>();
        paths.propertyNames()
                .forEach(path -> paths.path(path)
                        .propertyNames()
                        .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        assertThat(mapped).as("routes of the JSON API").hasSizeGreaterThan(40);
        assertThat(documented).containsAll(mapped);
    }

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
