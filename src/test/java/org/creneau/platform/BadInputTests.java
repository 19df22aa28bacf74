package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
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
 * Every bad input found so far (issue #9) answers a 4xx in the one error format, over real HTTP
 * (raw sockets where a client would refuse to send the input): never a 5xx, never the container's
 * HTML or Spring's default JSON, never a stack trace.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class BadInputTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "application/problem+json";
    private static final String FAR_YEAR = "+999999999-12-31T00:00:00Z";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("pediatre");
    }

    @Test
    void aPageNumberThatWouldOverflowTheOffsetIsA400NamingPage() throws Exception {
        HttpResponse<String> search = get("/api/v1/search?specialty=pediatre&city=Testville&page=2147483647");
        assertBadRequest(search, "page");

        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("p-" + UUID.randomUUID() + "@test.creneau.fr");
        assertBadRequest(patient.get("/api/v1/me/appointments?page=2147483647").raw(), "page");
    }

    @Test
    void aFromInTheYear999999999IsA400NamingFrom() throws Exception {
        String from = "&from=" + FAR_YEAR.replace("+", "%2B");
        assertBadRequest(get("/api/v1/search?specialty=pediatre&city=Testville" + from), "from");
        assertBadRequest(
                get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + practice.motiveId()
                        + from),
                "from");
        assertBadRequest(get("/api/v1/search?specialty=pediatre&city=Testville&to=1899-12-31"), "to");
    }

    @Test
    void aHoldStartingInTheYear999999999IsA400NamingStart() {
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("p-" + UUID.randomUUID() + "@test.creneau.fr");
        Response hold = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", FAR_YEAR));
        assertBadRequest(hold.raw(), "start");
    }

    @Test
    void aNulCharacterTheDatabaseCannotStoreIsA400NotAConflict() {
        Response registered = new ApiClient(port)
                .post(
                        "/api/v1/accounts",
                        Map.of(
                                "email", "nul-" + UUID.randomUUID() + "@test.creneau.fr",
                                "phone", "+33 6 12 34 56 78",
                                "password", Fixtures.PASSWORD,
                                "firstName", "Jea\u0000nne",
                                "lastName", "Testeuse",
                                "birthDate", "1985-04-12"));
        assertThat(registered.status()).isEqualTo(400);
        assertThat(registered.contentType()).startsWith(PROBLEM);
        assertThat(registered.raw().body()).doesNotContainIgnoringCase("sql").doesNotContain("0x00");
    }

    @Test
    void invalidUtf8InAQueryParameterIsA400Problem() throws Exception {
        for (String value : new String[] {"%C3%28", "%FF"}) {
            HttpResponse<String> response = get("/api/v1/search?specialty=" + value + "&city=Testville");
            assertThat(response.statusCode()).as(value).isEqualTo(400);
            assertThat(contentType(response)).startsWith(PROBLEM);
        }
    }

    @Test
    void theErrorPageAskedForDirectlyIsA404Problem() throws Exception {
        HttpResponse<String> response = get("/error");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(contentType(response)).startsWith(PROBLEM);
        assertThat(json(response).path("status").asInt()).isEqualTo(404);
    }

    @Test
    void anUnknownMethodIsA405ProblemWithAllow() throws Exception {
        HttpResponse<String> track = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/specialties"))
                        .method("TRACK", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(track.statusCode()).isEqualTo(405);
        assertThat(contentType(track)).startsWith(PROBLEM);
        assertThat(track.headers().firstValue("Allow").orElse("")).contains("GET");

        HttpResponse<String> fhir = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/fhir/metadata"))
                        .method("TRACK", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fhir.statusCode()).isEqualTo(405);
        assertThat(contentType(fhir)).startsWith("application/fhir+json");
        assertThat(json(fhir).path("resourceType").asString()).isEqualTo("OperationOutcome");
    }

    @Test
    void aKnownMethodOnARouteThatDoesNotTakeItIsA405WithAllow() throws Exception {
        HttpResponse<String> delete = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/csrf"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // Refused before the route by the CSRF check (403) or by the route itself (405): never a 5xx.
        assertThat(delete.statusCode()).isIn(403, 405);
        assertThat(contentType(delete)).startsWith(PROBLEM);
    }

    @Test
    void addressesTheFirewallRefusesAre400Problems() throws Exception {
        for (String path :
                new String[] {"/api/v1//search?specialty=pediatre", "/api/v1/search;x=1?specialty=pediatre"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(contentType(response)).as(path).startsWith(PROBLEM);
        }
    }

    @Test
    void whatTomcatRefusesBeforeAnyServletIsA400Problem() throws Exception {
        for (String target :
                new String[] {"/api/v1/search?specialty=a{b", "/api/v1/search%zz", "/api/v1/%2e%2e/%2fx"}) {
            String answer = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(target).startsWith("HTTP/1.1 400");
            assertThat(answer).as(target).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(answer).as(target).doesNotContain("<html").doesNotContain("Tomcat");
        }
        for (String target : new String[] {"/fhir/Appointment%2Fx", "/fhir/Patient/%00", "/fhir/Patient/%2e%2e/%2fx"}) {
            String answer = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(target).startsWith("HTTP/1.1 400");
            assertThat(answer).as(target).containsIgnoringCase("Content-Type: application/fhir+json");
            assertThat(answer).as(target).contains("OperationOutcome");
        }
    }

    @Test
    void aGarbageTokenRequestIsAnOAuthErrorInJsonNeverHtml() throws Exception {
        byte[] garbage = {(byte) 0xff, 0x01, 0x7f, (byte) 0xc3, 0x28, '%', '='};
        HttpResponse<String> form = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(garbage))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(contentType(form)).startsWith(PROBLEM);
        assertThat(json(form).path("error").asString()).isEqualTo("invalid_request");

        HttpResponse<String> octets = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(garbage))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // No client named: OAuth2's own answer (RFC 6749, 5.2), in JSON.
        assertThat(octets.statusCode()).isEqualTo(401);
        assertThat(json(octets).path("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void aJsonBodyOverTheCapIsA413Problem() throws Exception {
        Response big = new ApiClient(port)
                .post(
                        "/api/v1/accounts",
                        Map.of(
                                "email",
                                "big-" + UUID.randomUUID() + "@test.creneau.fr",
                                "phone",
                                "+33 6 12 34 56 78",
                                "password",
                                Fixtures.PASSWORD,
                                "firstName",
                                "x".repeat(10_000_000),
                                "lastName",
                                "Testeuse",
                                "birthDate",
                                "1985-04-12"));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.contentType()).startsWith(PROBLEM);
    }

    @Test
    void aChunkedJsonBodyOverTheCapIsA413Problem() throws Exception {
        // Without a length (chunked), the body is refused once reading passes the cap.
        java.net.CookieManager cookies = new java.net.CookieManager();
        HttpClient withCookies = HttpClient.newBuilder().cookieHandler(cookies).build();
        withCookies.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/csrf")).build(),
                HttpResponse.BodyHandlers.ofString());
        String csrf = cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN"))
                .findFirst()
                .orElseThrow()
                .getValue();
        byte[] body = ("{\"email\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = withCookies.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .header("X-XSRF-TOKEN", csrf)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(contentType(chunked)).startsWith(PROBLEM);
    }

    @Test
    void aFormFieldWithCharactersTheFirewallRefusesIsA4xxProblemNotAnInternalError() {
        // The firewall checks a form's parameters only when something first reads them, past its own
        // filter: here the refusal of a staff member on a patient's route (fuzzing found it as a 500).
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        Response form = secretary.postForm(
                "/api/v1/me/relatives", Map.of("{\"relationship\":\"\uffff\ufffe\"}", "", "firstName", "Fuzz"));
        assertThat(form.status()).isBetween(400, 499);
        assertThat(form.contentType()).startsWith(PROBLEM);
    }

    @Test
    void aFormOverTheCapIsA413Problem() {
        Response form = new ApiClient(port).postForm("/connexion", Map.of("email", "x".repeat(100_000)));
        assertThat(form.status()).isEqualTo(413);
        assertThat(form.contentType()).startsWith(PROBLEM);
    }

    @Test
    void aFhirBodyOverItsCapIsA413OperationOutcome() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/fhir/Appointment"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"resourceType\":\"Appointment\",\"comment\":\"" + "x".repeat(300_000) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(contentType(response)).startsWith("application/fhir+json");
        assertThat(json(response).path("resourceType").asString()).isEqualTo("OperationOutcome");
    }

    @Test
    void badInputIsOneWarningLineWithoutAStackTrace(CapturedOutput output) throws Exception {
        int before = output.getOut().length();
        assertBadRequest(get("/api/v1/search?specialty=pediatre&city=Testville&page=2147483647"), "page");
        get("/api/v1/search?specialty=%C3%28&city=Testville");
        String logged = output.getOut().substring(before);
        assertThat(logged).contains("WARN").doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    @Test
    void everyResponseCarriesAReferrerPolicyAndACspWithoutInlineStyles() throws Exception {
        for (String path : new String[] {"/", "/api/v1/specialties", "/api/v1/search?specialty=x", "/fhir/metadata"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.headers().firstValue("Referrer-Policy"))
                    .as(path)
                    .contains("same-origin");
        }
        HttpResponse<String> page = get("/");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("style-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.body()).contains("name=\"htmx-config\"").doesNotContain("style=\"");
    }

    @Test
    void refusalsBySpringSecurityAre401And403ProblemsFromTheCommonWriter() throws Exception {
        HttpResponse<String> unsigned = get("/api/v1/me/access-log");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(contentType(unsigned)).startsWith(PROBLEM).contains("charset=UTF-8");
        assertThat(json(unsigned).path("title").asString()).isEqualTo("Unauthorized");
        assertThat(json(unsigned).path("status").asInt()).isEqualTo(401);

        // A write without the CSRF token is refused before any handler runs.
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/appointments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(contentType(forged)).startsWith(PROBLEM).contains("charset=UTF-8");
        assertThat(json(forged).path("title").asString()).isEqualTo("Forbidden");
        assertThat(forged.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theFhirEndpointDoesNotNameItsServerInAHeader() throws Exception {
        HttpResponse<String> metadata = get("/fhir/metadata");
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("X-Powered-By")).isEmpty();
    }

    private void assertBadRequest(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(contentType(response)).startsWith(PROBLEM);
        JsonNode body = json(response);
        assertThat(body.path("errors").valueStream().map(e -> e.path("field").asString()))
                .as(response.body())
                .contains(field);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(out);
            } catch (SocketTimeoutException e) {
                // what came is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
