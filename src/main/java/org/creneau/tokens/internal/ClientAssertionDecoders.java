package org.creneau.tokens.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.stereotype.Component;

/**
 * Verifies a SMART Backend Services client assertion: signed RS384 or ES384 with one of the app's
 * keys (its JWKS URL, or the key set given at registration), {@code iss} and {@code sub} the
 * client id, {@code aud} this token endpoint and nothing else, expiring within 5 minutes and not yet expired, and
 * a {@code jti} never used before.
 */
@Component
class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Clocks of client and server differ a little; no more than this is forgiven. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(30);

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private final Clock clock;
    private final ClientAssertionReplayGuard replays;
    /** Published key sets are cached (and refreshed on an unknown key id) per URL. */
    private final Map<String, JWKSource<SecurityContext>> remoteKeys = new ConcurrentHashMap<>();

    ClientAssertionDecoders(Clock clock, ClientAssertionReplayGuard replays) {
        this.clock = clock;
        this.replays = replays;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keysOf(client)));
        // Claims are checked below against the application's clock, not Nimbus's.
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(validator(client.getClientId()));
        return decoder;
    }

    private JWKSource<SecurityContext> keysOf(RegisteredClient client) {
        String url = client.getClientSettings().getJwkSetUrl();
        if (url != null) {
            return remoteKeys.computeIfAbsent(url, ClientAssertionDecoders::remote);
        }
        String inline = client.getClientSettings().getSetting(ConnectedAppClients.INLINE_JWKS);
        try {
            return new ImmutableJWKSet<>(JWKSet.parse(inline));
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("stored key set of app " + client.getId() + " is unreadable");
        }
    }

    private static JWKSource<SecurityContext> remote(String url) {
        try {
            return JWKSourceBuilder.create(URI.create(url).toURL())
                    .cache(
                            Duration.ofMinutes(5).toMillis(),
                            Duration.ofSeconds(15).toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("stored JWKS URL is not a URL");
        }
    }

    OAuth2TokenValidator<Jwt> validator(String clientId) {
        return jwt -> {
            Instant now = clock.instant();
            if (!clientId.equals(jwt.getClaimAsString("iss"))) {
                return refused("iss must be the client id");
            }
            if (!clientId.equals(jwt.getSubject())) {
                return refused("sub must be the client id");
            }
            List<String> audience = jwt.getAudience();
            String tokenEndpoint = tokenEndpoint();
            // The token endpoint alone: an assertion also meant for another audience could be replayed there.
            if (tokenEndpoint == null || !List.of(tokenEndpoint).equals(audience)) {
                return refused("aud must be the token endpoint URL, alone");
            }
            Instant expiresAt = jwt.getExpiresAt();
            if (expiresAt == null) {
                return refused("exp is required");
            }
            if (!expiresAt.isAfter(now.minus(CLOCK_TOLERANCE))) {
                return refused("the assertion has expired");
            }
            if (expiresAt.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_TOLERANCE))) {
                return refused("exp must be at most 5 minutes ahead");
            }
            Instant notBefore = jwt.getNotBefore();
            if (notBefore != null && notBefore.isAfter(now.plus(CLOCK_TOLERANCE))) {
                return refused("the assertion is not valid yet");
            }
            String jti = jwt.getId();
            if (jti == null || jti.isBlank() || jti.length() > 255) {
                return refused("jti is required");
            }
            if (!replays.firstUse(clientId, jti, expiresAt, now, CLOCK_TOLERANCE)) {
                return refused("this jti was already used");
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

    private static String tokenEndpoint() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        if (context == null) {
            return null;
        }
        return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
    }

    private static OAuth2TokenValidatorResult refused(String why) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, why, null));
    }
}
