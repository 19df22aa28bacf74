package org.creneau.tokens.internal;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.SmartScope;
import org.creneau.tokens.AccessTokenClaims;
import org.creneau.tokens.TokenEndpointAddress;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The SMART Backend Services token endpoint ({@code /oauth2/token}): client credentials only,
 * clients authenticated by a signed assertion only, JWT access tokens of at most 5 minutes and no
 * refresh token. Its own filter chains come before the session-based one of the JSON API.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
class AuthorizationServerConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(
            HttpSecurity http,
            ConnectedAppClients clients,
            ClientAssertionDecoders assertionDecoders,
            AuthorizationServerSettings settings,
            OAuth2TokenGenerator<?> tokens,
            OAuth2AuthorizationService authorizations)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(
                        server,
                        s -> s.registeredClientRepository(clients)
                                .authorizationService(authorizations)
                                .authorizationServerSettings(settings)
                                .tokenGenerator(tokens)
                                .clientAuthentication(c -> c.authenticationConverters(
                                                list -> list.replaceAll(converter ->
                                                        converter instanceof JwtClientAssertionAuthenticationConverter
                                                                ? new BackendServicesAssertionConverter()
                                                                : converter))
                                        .authenticationProviders(list -> list.forEach(provider -> {
                                            if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                                jwt.setJwtDecoderFactory(assertionDecoders);
                                            }
                                        })))
                                .authorizationServerMetadataEndpoint(m -> m.authorizationServerMetadataCustomizer(
                                        AuthorizationServerConfiguration::describeBackendServicesOnly))
                                .tokenEndpoint(t -> t.authenticationProviders(list -> list.forEach(provider -> {
                                    if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider credentials) {
                                        credentials.setAuthenticationValidator(
                                                AuthorizationServerConfiguration::requireGrant);
                                    }
                                }))))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, failure) -> {
                    response.setStatus(401);
                    response.setContentType("application/json");
                    response.getWriter().write("{\"error\":\"invalid_client\"}");
                }))
                .authorizeHttpRequests(auth -> auth.requestMatchers(HttpMethod.GET, "/oauth2/jwks")
                        .permitAll()
                        .anyRequest()
                        .authenticated());
        return http.build();
    }

    /** SMART discovery is public. */
    @Bean
    @Order(2)
    SecurityFilterChain smartDiscovery(HttpSecurity http) throws Exception {
        http.securityMatcher("/fhir/.well-known/smart-configuration")
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    /**
     * The app must hold at least one active grant and ask for scopes (SMART requires them), all
     * within what its active grants give; the default check then refuses any other scope.
     */
    static void requireGrant(OAuth2ClientCredentialsAuthenticationContext context) {
        List<?> grants =
                context.getRegisteredClient().getClientSettings().getSetting(ConnectedAppClients.ACTIVE_GRANTS);
        if (grants == null || grants.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "no organization has an active grant for this app", null));
        }
        Set<String> requested = context.<OAuth2ClientCredentialsAuthenticationToken>getAuthentication()
                .getScopes();
        if (requested == null || requested.isEmpty()) {
            throw new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, "scope is required", null));
        }
        OAuth2ClientCredentialsAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR.accept(context);
    }

    /** The RFC 8414 metadata tells what this server really accepts, like the SMART discovery document. */
    static void describeBackendServicesOnly(OAuth2AuthorizationServerMetadata.Builder metadata) {
        metadata.tokenEndpointAuthenticationMethods(methods -> {
                    methods.clear();
                    methods.add("private_key_jwt");
                })
                .grantTypes(types -> {
                    types.clear();
                    types.add("client_credentials");
                })
                .scopes(scopes -> scopes.addAll(SmartScope.ALL))
                .claim("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(TokenEndpointAddress address) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (address.configured() != null) {
            settings.issuer(address.configured());
        }
        return settings.build();
    }

    @Bean
    OAuth2AuthorizationService stateless() {
        return new StatelessAuthorizations();
    }

    /**
     * The keys access tokens are checked against, here and at {@code /oauth2/jwks}: every key of
     * {@link TokenSigningKeys} not yet retired, the same on every node.
     */
    @Bean
    JWKSource<SecurityContext> accessTokenKeys(TokenSigningKeys keys) {
        return keys.verifying();
    }

    @Bean
    OAuth2TokenGenerator<?> accessTokens(TokenSigningKeys keys, Clock clock) {
        JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(keys.signing()));
        jwt.setClock(clock);
        jwt.setJwtCustomizer(AuthorizationServerConfiguration::describeGrant);
        // No refresh-token generator: client credentials never get one.
        return new DelegatingOAuth2TokenGenerator(jwt);
    }

    /** The access token names the app and the grants behind the scopes it carries. */
    static void describeGrant(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        var client = context.getRegisteredClient();
        List<ActiveGrant> grants = client.getClientSettings().getSetting(ConnectedAppClients.ACTIVE_GRANTS);
        Set<String> scopes = context.getAuthorizedScopes();
        List<String> grantIds = grants.stream()
                .filter(g -> g.scopes().stream().anyMatch(scopes::contains))
                .map(g -> g.grantId().toString())
                .toList();
        context.getClaims()
                .claim(AccessTokenClaims.APP_ID, client.getId())
                .claim(AccessTokenClaims.CLIENT_ID, client.getClientId())
                .claim(AccessTokenClaims.GRANT_IDS, grantIds);
    }
}
