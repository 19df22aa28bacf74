package org.creneau.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.creneau.support.SmartBackendClient.assertRefused;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.SmartBackendClient.Token;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The SMART Backend Services token endpoint over real HTTP: a correct client assertion (RS384 or
 * ES384) gets a short JWT access token; every other assertion is refused with an OAuth2 error.
 */
@IntegrationTest
class TokenEndpointTests {

    static final String GRANTED = "system/Appointment.rs system/Slot.rs";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Practice practice;
    ApiClient platform;
    ApiClient orgAdmin;
    SmartBackendClient app;
    String appId;
    String clientId;
    String grantId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("dermatologue");
        platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        orgAdmin = SignIn.staff(port, practice.adminEmail());
        app = new SmartBackendClient(port);
        Response registered = platform.post(
                "/api/v1/admin/connected-apps",
                Map.of(
                        "name",
                        "Logiciel de cabinet",
                        "contact",
                        "securite@editeur.example",
                        "jwks",
                        app.publicJwks(),
                        "scopes",
                        List.of("system/Appointment.rs", "system/Slot.rs", "system/Patient.r")));
        assertThat(registered.status()).isEqualTo(201);
        appId = registered.text("id");
        clientId = registered.text("clientId");
        grantId = grant(clientId, List.of("system/Appointment.rs", "system/Slot.rs"));
    }

    String grant(String client, List<String> scopes) {
        Response granted = orgAdmin.post(
                "/api/v1/staff/connected-app-grants",
                Map.of("clientId", client, "scopes", scopes, "contactDetails", false));
        assertThat(granted.status()).isEqualTo(201);
        return granted.text("id");
    }

    String assertion(JWTClaimsSet claims) {
        return app.sign(claims, app.rsa);
    }

    JWTClaimsSet.Builder validClaims() {
        return app.claims(clientId, clock.instant());
    }

    static JWTClaimsSet payload(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    @Test
    void anRs384AssertionGetsAShortAccessTokenNamingTheAppItsScopesAndGrants() throws Exception {
        Token token = app.requestToken(assertion(validClaims().build()), GRANTED);

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.body().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.body().path("expires_in").asLong()).isBetween(1L, 300L);
        assertThat(token.body().has("refresh_token")).isFalse();
        SignedJWT jwt = SignedJWT.parse(token.accessToken());
        RSAKey signingKey = (RSAKey) JWKSet.parse(app.getJson("/oauth2/jwks").toString())
                .getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(signingKey))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("app_id")).isEqualTo(appId);
        assertThat(claims.getStringListClaim("grant_ids")).containsExactly(grantId);
        assertThat(claims.getStringListClaim("scope"))
                .containsExactlyInAnyOrder("system/Appointment.rs", "system/Slot.rs");
        assertThat(Duration.between(
                        claims.getIssueTime().toInstant(),
                        claims.getExpirationTime().toInstant()))
                .isLessThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(claims.getIssueTime().toInstant())
                .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void aTokenNamesEveryActiveGrantBehindTheScopesItCarries() throws Exception {
        Practice other = fixtures.practice("dermatologue");
        ApiClient otherAdmin = SignIn.staff(port, other.adminEmail());
        Response granted = otherAdmin.post(
                "/api/v1/staff/connected-app-grants",
                Map.of("appId", appId, "scopes", List.of("system/Slot.rs"), "contactDetails", false));
        String otherGrant = granted.text("id");

        Token slots = app.requestToken(assertion(validClaims().build()), "system/Slot.rs");
        Token appointments = app.requestToken(assertion(validClaims().build()), "system/Appointment.rs");

        assertThat(payload(slots.accessToken()).getStringListClaim("grant_ids"))
                .containsExactlyInAnyOrder(grantId, otherGrant);
        assertThat(payload(appointments.accessToken()).getStringListClaim("grant_ids"))
                .containsExactly(grantId);
    }

    @Test
    void anEs384AssertionGetsAnAccessToken() throws Exception {
        Token token = app.requestToken(app.sign(validClaims().build(), app.ec), "system/Slot.rs");

        assertThat(token.status()).isEqualTo(200);
        assertThat(payload(token.accessToken()).getStringListClaim("scope")).containsExactly("system/Slot.rs");
    }

    @Test
    void aClientAssertionNamingTheSameClientInClientIdIsAcceptedToo() {
        Token token = app.post(
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        GRANTED,
                        "client_id",
                        clientId,
                        "client_assertion_type",
                        SmartBackendClient.JWT_BEARER,
                        "client_assertion",
                        assertion(validClaims().build())),
                Map.of());

        assertThat(token.status()).isEqualTo(200);
    }

    @Test
    void aClientIdOtherThanTheAssertionsIssuerIsRefused() {
        Token token = app.post(
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        GRANTED,
                        "client_id",
                        java.util.UUID.randomUUID().toString(),
                        "client_assertion_type",
                        SmartBackendClient.JWT_BEARER,
                        "client_assertion",
                        assertion(validClaims().build())),
                Map.of());

        assertRefused(token, "invalid_client");
    }

    @Test
    void anotherClientAssertionTypeIsRefused() {
        Token token = app.post(
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        GRANTED,
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                        "client_assertion",
                        assertion(validClaims().build())),
                Map.of());

        assertRefused(token, "invalid_request");
    }

    @Test
    void usedAssertionIdsAreForgottenOnlyOnceTheyHaveExpired() {
        String jti = java.util.UUID.randomUUID().toString();
        assertThat(app.requestToken(assertion(validClaims().jwtID(jti).build()), GRANTED)
                        .status())
                .isEqualTo(200);
        assertThat(remembered(jti)).isTrue();

        clock.advance(Duration.ofMinutes(6));
        assertThat(app.requestToken(assertion(validClaims().build()), GRANTED).status())
                .isEqualTo(200);

        assertThat(remembered(jti)).isFalse();
    }

    boolean remembered(String jti) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM client_assertion_jti WHERE client_id = :c AND jti = :j)")
                .param("c", clientId)
                .param("j", jti)
                .query(Boolean.class)
                .single();
    }

    @Test
    void anExpiredAssertionIsRefused() {
        Instant past = clock.instant().minus(Duration.ofMinutes(10));
        Token token = app.requestToken(assertion(app.claims(clientId, past).build()), GRANTED);

        assertRefused(token, "invalid_client");
    }

    @Test
    void anAssertionExpiringMoreThanFiveMinutesAheadIsRefused() {
        JWTClaimsSet claims = validClaims()
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(10))))
                .build();

        assertRefused(app.requestToken(assertion(claims), GRANTED), "invalid_client");
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() {
        JWTClaimsSet claims =
                validClaims().audience("https://other.example/oauth2/token").build();

        assertRefused(app.requestToken(assertion(claims), GRANTED), "invalid_client");
    }

    @Test
    void anAssertionAlsoAddressedToAnotherAudienceIsRefused() throws Exception {
        Map<String, Object> claims = validClaims().build().toJSONObject();
        claims.put("aud", List.of(app.tokenEndpoint(), "https://other.example/oauth2/token"));
        String assertion = app.sign(claims, app.rsa);
        assertThat(payload(assertion).getAudience()).hasSize(2);

        assertRefused(app.requestToken(assertion, GRANTED), "invalid_client");
    }

    @Test
    void anAssertionWhoseAudienceIsAnArrayHoldingOnlyTheTokenEndpointIsAccepted() throws Exception {
        Map<String, Object> claims = validClaims().build().toJSONObject();
        claims.put("aud", List.of(app.tokenEndpoint()));
        String assertion = app.sign(claims, app.rsa);
        assertThat(SignedJWT.parse(assertion).getPayload().toJSONObject().get("aud"))
                .as("sent as a JSON array")
                .isInstanceOf(List.class);

        Token token = app.requestToken(assertion, GRANTED);

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.accessToken()).isNotBlank();
    }

    @Test
    void anAssertionWhoseSubjectIsNotItsIssuerIsRefused() {
        JWTClaimsSet claims = validClaims().subject("someone-else").build();

        assertRefused(app.requestToken(assertion(claims), GRANTED), "invalid_client");
    }

    @Test
    void anAssertionWithoutJtiIsRefused() {
        JWTClaimsSet claims = validClaims().jwtID(null).build();

        assertRefused(app.requestToken(assertion(claims), GRANTED), "invalid_client");
    }

    @Test
    void aReplayedAssertionIsRefusedTheSecondTime() {
        String once = assertion(validClaims().build());
        assertThat(app.requestToken(once, GRANTED).status()).isEqualTo(200);

        assertRefused(app.requestToken(once, GRANTED), "invalid_client");
        JWTClaimsSet sameJti = validClaims()
                .jwtID(SignedJWTs.jti(once))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(3))))
                .build();
        assertRefused(app.requestToken(assertion(sameJti), GRANTED), "invalid_client");
    }

    @Test
    void anAssertionSignedWithAKeyTheAppDidNotRegisterIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(app.rsa.getKeyID()).generate();

        assertRefused(app.requestToken(app.sign(validClaims().build(), stranger), GRANTED), "invalid_client");
    }

    @Test
    void anUnknownClientIsRefused() {
        JWTClaimsSet claims = app.claims("unknown-" + java.util.UUID.randomUUID(), clock.instant())
                .build();

        assertRefused(app.requestToken(assertion(claims), GRANTED), "invalid_client");
    }

    @Test
    void aSuspendedAppIsRefusedUntilReactivated() {
        assertThat(platform.post("/api/v1/admin/connected-apps/" + appId + "/suspend", null)
                        .status())
                .isEqualTo(200);

        assertRefused(app.requestToken(assertion(validClaims().build()), GRANTED), "invalid_client");
        platform.post("/api/v1/admin/connected-apps/" + appId + "/reactivate", null);
        assertThat(app.requestToken(assertion(validClaims().build()), GRANTED).status())
                .isEqualTo(200);
    }

    @Test
    void anAppWithoutAnyActiveGrantIsRefused() {
        assertThat(orgAdmin.post("/api/v1/staff/connected-app-grants/" + grantId + "/revoke", null)
                        .status())
                .isEqualTo(200);

        assertRefused(app.requestToken(assertion(validClaims().build()), GRANTED), "unauthorized_client");
    }

    @Test
    void suspendingTheGrantMakesTheNextTokenRequestFailUntilItIsResumed() {
        assertThat(app.requestToken(assertion(validClaims().build()), GRANTED).status())
                .isEqualTo(200);

        assertThat(orgAdmin.post("/api/v1/staff/connected-app-grants/" + grantId + "/suspend", null)
                        .status())
                .isEqualTo(200);

        assertRefused(app.requestToken(assertion(validClaims().build()), GRANTED), "unauthorized_client");
        assertThat(orgAdmin.post("/api/v1/staff/connected-app-grants/" + grantId + "/resume", null)
                        .status())
                .isEqualTo(200);
        assertThat(app.requestToken(assertion(validClaims().build()), GRANTED).status())
                .isEqualTo(200);
    }

    @Test
    void aScopeNoActiveGrantGivesIsRefused() {
        // The app may hold Patient.r, but this organization did not grant it.
        assertRefused(app.requestToken(assertion(validClaims().build()), "system/Patient.r"), "invalid_scope");
        assertRefused(app.requestToken(assertion(validClaims().build()), "system/Schedule.rs"), "invalid_scope");
    }

    @Test
    void aTokenRequestWithoutScopeIsRefused() {
        Token token = app.post(
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_assertion_type",
                        SmartBackendClient.JWT_BEARER,
                        "client_assertion",
                        assertion(validClaims().build())),
                Map.of());

        assertRefused(token, "invalid_scope");
    }

    @Test
    void aClientSecretIsNeverAccepted() {
        String basic =
                Base64.getEncoder().encodeToString((clientId + ":guessed-secret").getBytes(StandardCharsets.UTF_8));
        Token token = app.post(
                Map.of("grant_type", "client_credentials", "scope", GRANTED),
                Map.of("Authorization", "Basic " + basic));

        assertThat(token.status()).isEqualTo(401);
        assertThat(token.error()).isEqualTo("invalid_client");
    }

    @Test
    void aRequestWithoutClientAuthenticationIsRefused() {
        Token token = app.post(Map.of("grant_type", "client_credentials", "scope", GRANTED), Map.of());

        assertThat(token.status()).isEqualTo(401);
        assertThat(token.error()).isEqualTo("invalid_client");
    }

    @Test
    void keysPublishedAtTheAppsJwksUrlAreUsed() throws Exception {
        SmartBackendClient published = new SmartBackendClient(port);
        byte[] jwks = new JWKSet(published.ec.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        try {
            Response registered = platform.post(
                    "/api/v1/admin/connected-apps",
                    Map.of(
                            "name",
                            "Logiciel hospitalier",
                            "contact",
                            "dsi@hopital.example",
                            "jwksUrl",
                            "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json",
                            "scopes",
                            List.of("system/Schedule.rs")));
            assertThat(registered.status()).isEqualTo(201);
            String otherClient = registered.text("clientId");
            grant(otherClient, List.of("system/Schedule.rs"));

            Token token = published.requestToken(
                    published.sign(
                            published.claims(otherClient, clock.instant()).build(), published.ec),
                    "system/Schedule.rs");
            assertThat(token.status()).isEqualTo(200);
            Token unpublishedKey = published.requestToken(
                    published.sign(
                            published.claims(otherClient, clock.instant()).build(), published.rsa),
                    "system/Schedule.rs");
            assertRefused(unpublishedKey, "invalid_client");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void smartConfigurationDescribesTheTokenEndpoint() {
        var config = app.getJson("/fhir/.well-known/smart-configuration");

        assertThat(config.path("token_endpoint").asString()).isEqualTo(app.tokenEndpoint());
        assertThat(config.path("token_endpoint_auth_methods_supported").toString())
                .isEqualTo("[\"private_key_jwt\"]");
        assertThat(config.path("token_endpoint_auth_signing_alg_values_supported")
                        .toString())
                .isEqualTo("[\"RS384\",\"ES384\"]");
        assertThat(config.path("grant_types_supported").toString()).isEqualTo("[\"client_credentials\"]");
        assertThat(config.path("capabilities").toString()).isEqualTo("[\"client-confidential-asymmetric\"]");
        assertThat(config.path("scopes_supported").toString()).contains("system/Appointment.rs", "system/Patient.r");
    }

    @Test
    void authorizationServerMetadataOffersOnlyWhatIsAccepted() {
        var metadata = app.getJson("/.well-known/oauth-authorization-server");

        assertThat(metadata.path("token_endpoint").asString()).isEqualTo(app.tokenEndpoint());
        assertThat(metadata.path("token_endpoint_auth_methods_supported").toString())
                .isEqualTo("[\"private_key_jwt\"]");
        assertThat(metadata.path("grant_types_supported").toString()).isEqualTo("[\"client_credentials\"]");
    }

    static final class SignedJWTs {
        static String jti(String jwt) {
            try {
                return SignedJWT.parse(jwt).getJWTClaimsSet().getJWTID();
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
