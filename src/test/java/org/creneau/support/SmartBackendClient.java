package org.creneau.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a SMART Backend Services client does: holds its own keys, signs a client assertion and
 * posts it to the token endpoint as a form, with no client_id parameter.
 */
public final class SmartBackendClient {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public final RSAKey rsa;
    public final ECKey ec;
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SmartBackendClient(int port) {
        this.base = "http://localhost:" + port;
        try {
            this.rsa =
                    new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
            this.ec = new ECKeyGenerator(Curve.P_384)
                    .keyID("ec-" + UUID.randomUUID())
                    .generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SmartBackendClient(int port, RSAKey rsa, ECKey ec) {
        this.base = "http://localhost:" + port;
        this.rsa = rsa;
        this.ec = ec;
    }

    /** The same app, with the same keys, talking to the server on {@code port}. */
    public SmartBackendClient at(int port) {
        return new SmartBackendClient(port, rsa, ec);
    }

    public String tokenEndpoint() {
        return base + "/oauth2/token";
    }

    /** The public half of both keys, as a JWKS document. */
    public Map<String, Object> publicJwks() {
        return new com.nimbusds.jose.jwk.JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK()))
                .toJSONObject(true);
    }

    /** The claims a correct client sends: iss = sub = client id, aud = token endpoint, 5 minutes. */
    public JWTClaimsSet.Builder claims(String clientId, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(tokenEndpoint())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
                .jwtID(UUID.randomUUID().toString());
    }

    public String sign(JWTClaimsSet claims, JWK key) {
        return sign(new Payload(claims.toJSONObject()), key);
    }

    /**
     * Signs claims exactly as given: Nimbus writes a one-item {@code aud} list as a plain string,
     * this keeps whatever JSON shape the map has.
     */
    public String sign(Map<String, Object> claims, JWK key) {
        return sign(new Payload(claims), key);
    }

    private static String sign(Payload payload, JWK key) {
        try {
            JWSAlgorithm algorithm = key instanceof ECKey ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384;
            JWSSigner signer = key instanceof ECKey e ? new ECDSASigner(e) : new RSASSASigner((RSAKey) key);
            JWSObject jwt = new JWSObject(
                    new JWSHeader.Builder(algorithm)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    payload);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An access token for {@code scopes}, asked for at {@code now} with a correct RS384 assertion. */
    public String accessToken(String clientId, Instant now, String scopes) {
        return requestToken(sign(claims(clientId, now).build(), rsa), scopes).accessToken();
    }

    /** The token request exactly as SMART Backend Services clients send it. */
    public Token requestToken(String assertion, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scope);
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", assertion);
        return post(form, Map.of());
    }

    public Token post(Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public JsonNode getJson(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build())
                .body();
    }

    private Token send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            return new Token(
                    response.statusCode(),
                    json,
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A refusal as OAuth 2 words it: 400 or 401, a JSON body naming {@code error}, and no token. */
    public static void assertRefused(Token token, String error) {
        assertThat(token.status()).isIn(400, 401);
        assertThat(token.contentType()).startsWith("application/json");
        assertThat(token.error()).isEqualTo(error);
        assertThat(token.body().has("access_token")).isFalse();
    }

    public record Token(int status, JsonNode body, String contentType) {
        public String error() {
            return body.path("error").asString(null);
        }

        public String accessToken() {
            return body.path("access_token").asString(null);
        }
    }
}
