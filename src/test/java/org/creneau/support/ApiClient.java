package org.creneau.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client with its own cookie jar, as a browser or an integrator would use the API:
 * it fetches the CSRF cookie first and echoes it in the X-XSRF-TOKEN header on every change.
 */
public class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private boolean sendCsrf = true;

    public ApiClient(int port) {
        this.base = "http://localhost:" + port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public record Response(int status, JsonNode body, String contentType, HttpResponse<String> raw) {
        public String text(String field) {
            JsonNode node = body.path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }
    }

    public ApiClient withoutCsrf() {
        this.sendCsrf = false;
        return this;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, Object body) {
        ensureCsrfCookie();
        String json = body == null ? "" : JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(withCsrf(request));
    }

    public Response postRaw(String path, String rawBody) {
        ensureCsrfCookie();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rawBody));
        return send(withCsrf(request));
    }

    /** Registers a patient and signs in; returns the account id. */
    public String registerAndLogin(String email) {
        Response registered = post(
                "/api/v1/accounts",
                Map.of(
                        "email", email,
                        "phone", "+33 6 12 34 56 78",
                        "password", Fixtures.PASSWORD,
                        "firstName", "Jeanne",
                        "lastName", "Testeuse",
                        "birthDate", "1985-04-12"));
        if (registered.status() != 201) {
            throw new AssertionError("registration failed: " + registered.status() + " " + registered.body());
        }
        login(email, Fixtures.PASSWORD);
        return registered.text("accountId");
    }

    public Response login(String email, String password) {
        Response response = post("/api/v1/auth/login", Map.of("email", email, "password", password));
        if (response.status() != 200) {
            throw new AssertionError("login failed: " + response.status() + " " + response.body());
        }
        return response;
    }

    /** The value of a cookie in this client's jar, or null. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    private void ensureCsrfCookie() {
        if (sendCsrf && csrfToken() == null) {
            get("/api/v1/auth/csrf");
        }
    }

    private HttpRequest.Builder withCsrf(HttpRequest.Builder request) {
        String token = csrfToken();
        if (sendCsrf && token != null) {
            request.header("X-XSRF-TOKEN", token);
        }
        return request;
    }

    private String csrfToken() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            return new Response(
                    response.statusCode(),
                    json,
                    response.headers().firstValue("Content-Type").orElse(""),
                    response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
