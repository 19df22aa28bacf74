package org.creneau.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client with its own cookie jar, as a browser or an integrator would use the API:
 * it fetches the CSRF cookie first and echoes it in the X-XSRF-TOKEN header on every change.
 */
public class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final CookieManager cookies;
    private final HttpClient http;
    private final Clock clock;
    private boolean sendCsrf = true;
    private String forwardedFor;
    private String organization;

    public ApiClient(int port) {
        this(port, null);
    }

    /** A client that can compute TOTP codes: {@code clock} must be the application's (the MutableClock). */
    public ApiClient(int port, Clock clock) {
        this(port, clock, new CookieManager());
    }

    private ApiClient(int port, Clock clock, CookieManager cookies) {
        this.base = "http://localhost:" + port;
        this.clock = clock;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The same browser, cookies and all, talking to another node on {@code port}. */
    public ApiClient sameCookiesOn(int port) {
        return new ApiClient(port, clock, cookies);
    }

    public record Response(int status, JsonNode body, String contentType, HttpResponse<String> raw) {
        public String text(String field) {
            JsonNode node = body.path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }
    }

    /** Requests as if through the platform's reverse proxy, for a client at {@code address}. */
    public ApiClient from(String address) {
        this.forwardedFor = address;
        return this;
    }

    /** Staff of several organizations name the one they act for ({@code X-Organization-Id}); null: none. */
    public ApiClient actingFor(Object organizationId) {
        this.organization = organizationId == null ? null : organizationId.toString();
        return this;
    }

    /** Puts a cookie in this client's jar, as a browser holding it would send it. */
    public ApiClient withCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(base), cookie);
        return this;
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

    public Response put(String path, Object body) {
        return withBody("PUT", path, body);
    }

    public Response delete(String path) {
        ensureCsrfCookie();
        return send(withCsrf(HttpRequest.newBuilder(URI.create(base + path)).DELETE()));
    }

    /** A request with any method and JSON body, e.g. to try every route of a matrix. */
    public Response withBody(String method, String path, Object body) {
        ensureCsrfCookie();
        String json = body == null ? "" : JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        return send(withCsrf(request));
    }

    /** A form as a page's {@code <form method="post">} sends it, the CSRF token in the header unless turned off. */
    public Response postForm(String path, Map<String, String> fields) {
        ensureCsrfCookie();
        String body = fields.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
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
        // One answer whether the address was free or taken: the account's id comes from signing in.
        if (registered.status() != 202) {
            throw new AssertionError("registration failed: " + registered.status() + " " + registered.body());
        }
        return login(email, Fixtures.PASSWORD).text("accountId");
    }

    /** Signs in an account that needs no second factor; fails if the server asks for one. */
    public Response login(String email, String password) {
        Response response = post("/api/v1/auth/login", Map.of("email", email, "password", password));
        if (response.status() != 200 || response.text("accountId") == null) {
            throw new AssertionError("login failed: " + response.status() + " " + response.body());
        }
        return response;
    }

    /**
     * Signs in a staff account enrolled with {@code totpSecret}: the password, then the code of the
     * current 30-second step by the application's clock. Returns the signed-in body.
     */
    public Response loginStaff(String email, String password, String totpSecret) {
        Response first = post("/api/v1/auth/login", Map.of("email", email, "password", password));
        if (first.status() != 200 || !"TOTP_REQUIRED".equals(first.text("secondFactor"))) {
            throw new AssertionError("login did not ask for a code: " + first.status() + " " + first.body());
        }
        Response second = post("/api/v1/auth/login/second-factor", Map.of("code", currentCode(totpSecret)));
        if (second.status() != 200 || second.text("accountId") == null) {
            throw new AssertionError("second factor refused: " + second.status() + " " + second.body());
        }
        return second;
    }

    /**
     * Signs in a staff account that has no second factor yet (created by an admin): the password,
     * then enrolment of a new TOTP secret confirmed by its first code. Returns the secret.
     */
    public String enrolAndLoginStaff(String email, String password) {
        Response first = post("/api/v1/auth/login", Map.of("email", email, "password", password));
        if (first.status() != 200 || !"ENROLMENT_REQUIRED".equals(first.text("secondFactor"))) {
            throw new AssertionError("login did not ask for enrolment: " + first.status() + " " + first.body());
        }
        String secret = post("/api/v1/auth/mfa/enrolment", null).text("secret");
        Response confirmed = post("/api/v1/auth/mfa/enrolment/confirm", Map.of("code", currentCode(secret)));
        if (confirmed.status() != 200) {
            throw new AssertionError("enrolment refused: " + confirmed.status() + " " + confirmed.body());
        }
        return secret;
    }

    /** The code an authenticator app shows now, by the application's clock. */
    public String currentCode(String totpSecret) {
        if (clock == null) {
            throw new IllegalStateException(
                    "create the client with the application's clock: new ApiClient(port, clock)");
        }
        return totp(totpSecret, clock.instant());
    }

    /** RFC 6238 (HMAC-SHA1, 30 s, 6 digits), written apart from the application's own. */
    public static String totp(String base32Secret, Instant at) {
        byte[] key = base32(base32Secret);
        long step = Math.floorDiv(at.getEpochSecond(), 30);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int o = h[19] & 0xf;
            int value =
                    ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", value % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long buffer = 0;
        int bits = 0;
        for (char c : text.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((int) (buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
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
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        if (organization != null) {
            request.header("X-Organization-Id", organization);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            // Pages answer HTML (and images): only a JSON answer is parsed (the raw response keeps the rest).
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean html = type.startsWith("text/html") || type.startsWith("image/");
            JsonNode json = body == null || body.isBlank() || html ? JSON.missingNode() : JSON.readTree(body);
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
