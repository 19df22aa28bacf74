package org.creneau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.creneau.support.ApiClient;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The inputs {@link ApiFuzzTests} found answered with a 500, each kept as the exact request it sent. */
@IntegrationTest
class FuzzFindingsTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private HttpResponse<String> send(String method, String path, String contentType, String body, String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            request.header("Cookie", "XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String csrf() {
        ApiClient client = new ApiClient(port);
        client.get("/api/v1/auth/csrf");
        return client.cookie("XSRF-TOKEN");
    }

    @Test
    void aBodyWithAWildcardContentTypeIsRefusedAsUnsupported() {
        var answer = send("POST", "/api/v1/auth/login", "*/*", "{\"email\":\"a@b.fr\",\"password\":\"x\"}", csrf());

        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aMalformedMultipartBodyIsRefusedAsUnsupported() {
        var answer =
                send("POST", "/api/v1/auth/login", "multipart/form-data; boundary=x", "{\"a\":\"\\u00e9\"}", csrf());

        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aFormBodyThatCannotBeDecodedOnAPutIsNotParsed() {
        var answer = send(
                "PUT", "/api/v1/staff/organization/settings", "application/x-www-form-urlencoded", "a=%zz", csrf());

        assertThat(answer.statusCode()).isEqualTo(401);
    }

    @Test
    void aPasswordHoldingHalfACharacterIsAWrongPasswordAtSignIn() {
        // The JSON escape of a lone surrogate: Java would turn the character itself into "?" on the way out.
        var answer = send(
                "POST",
                "/api/v1/auth/login",
                "application/json",
                "{\"email\":\"nobody@test.creneau.fr\",\"password\":\"\\ud800\"}",
                csrf());

        assertThat(answer.statusCode()).isEqualTo(401);
    }

    @Test
    void aPasswordHoldingHalfACharacterIsRefusedAtRegistration() {
        var answer = send(
                "POST",
                "/api/v1/accounts",
                "application/json",
                "{\"email\":\"half-" + java.util.UUID.randomUUID()
                        + "@test.creneau.fr\",\"phone\":\"+33 6 12 34 56 78\","
                        + "\"password\":\"a-long-enough-password-\\ud800\",\"firstName\":\"Jeanne\","
                        + "\"lastName\":\"Testeuse\",\"birthDate\":\"1985-04-12\"}",
                csrf());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"field\":\"password\"");
    }
}
