package org.creneau.tokens.internal;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.ConnectedApps;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * The authorization server's view of the registry, read fresh on every token request: a
 * suspended app is unknown to it, and an app's scopes are those its active grants give it (within
 * what the platform allows it).
 */
@Component
class ConnectedAppClients implements RegisteredClientRepository {

    /** Access tokens live at most this long; SMART Backend Services asks for no more than 5 minutes. */
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(5);

    static final String INLINE_JWKS = "creneau.connect.inline-jwks";
    static final String ACTIVE_GRANTS = "creneau.connect.active-grants";

    private final ConnectedApps registry;

    ConnectedAppClients(ConnectedApps registry) {
        this.registry = registry;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("apps are registered through the admin API");
    }

    @Override
    public RegisteredClient findById(String id) {
        try {
            return registry.byId(UUID.fromString(id)).map(this::client).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        if (clientId == null || clientId.length() > 100) {
            return null;
        }
        return registry.byClientId(clientId).map(this::client).orElse(null);
    }

    private RegisteredClient client(ConnectedApp app) {
        if (app.status() != ConnectedApp.Status.ACTIVE) {
            return null;
        }
        List<ActiveGrant> grants = registry.activeGrants(app.id());
        Set<String> scopes = new LinkedHashSet<>();
        grants.forEach(g -> scopes.addAll(g.scopes()));
        scopes.retainAll(app.allowedScopes());
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireProofKey(false)
                .requireAuthorizationConsent(false)
                .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
                .setting(ACTIVE_GRANTS, List.copyOf(grants));
        if (app.jwksUrl() != null) {
            settings.jwkSetUrl(app.jwksUrl());
        } else {
            settings.setting(INLINE_JWKS, app.jwks());
        }
        return RegisteredClient.withId(app.id().toString())
                .clientId(app.clientId())
                .clientName(app.name())
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(s -> s.addAll(scopes))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(ACCESS_TOKEN_LIFETIME)
                        .reuseRefreshTokens(false)
                        .build())
                .build();
    }
}
