package org.creneau.connect.internal;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What the bearer of an access token may do now: the grants of its token that are still active,
 * each with its organization and scopes. Deny by default.
 */
record AppToken(UUID appId, List<ConnectedAppRegistry.ActiveGrant> grants) {

    private static final String CACHED = AppToken.class.getName();

    /** Once per request: the hooks around a FHIR call and the call itself share what was read. */
    static AppToken current(ConnectedAppRegistry registry) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null
                && request.getAttribute(CACHED, RequestAttributes.SCOPE_REQUEST) instanceof AppToken token) {
            return token;
        }
        AppToken token = read(registry);
        if (request != null) {
            request.setAttribute(CACHED, token, RequestAttributes.SCOPE_REQUEST);
        }
        return token;
    }

    private static AppToken read(ConnectedAppRegistry registry) {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt)) {
            throw new AuthenticationException("a bearer token is required");
        }
        UUID app = UUID.fromString(jwt.getToken().getClaimAsString(AuthorizationServerConfiguration.CLAIM_APP_ID));
        Set<String> tokenGrants =
                Set.copyOf(jwt.getToken().getClaimAsStringList(AuthorizationServerConfiguration.CLAIM_GRANT_IDS));
        Set<String> tokenScopes = Set.copyOf(jwt.getToken().getClaimAsStringList("scope"));
        List<ConnectedAppRegistry.ActiveGrant> still = registry.activeGrants(app).stream()
                .filter(g -> tokenGrants.contains(g.grantId().toString()))
                .map(g -> new ConnectedAppRegistry.ActiveGrant(
                        g.grantId(),
                        g.organizationId(),
                        g.scopes().stream().filter(tokenScopes::contains).toList(),
                        g.limits()))
                .collect(Collectors.toList());
        if (still.isEmpty()) {
            // Suspended or revoked since the token was issued: the token no longer opens anything.
            throw new AuthenticationException("the grants of this token are no longer active");
        }
        return new AppToken(app, still);
    }

    /** The grants carrying one of {@code scopes}; refused (403) when none does. */
    List<ConnectedAppRegistry.ActiveGrant> requireScope(String... scopes) {
        List<String> wanted = List.of(scopes);
        List<ConnectedAppRegistry.ActiveGrant> with = grants.stream()
                .filter(g -> g.scopes().stream().anyMatch(wanted::contains))
                .toList();
        if (with.isEmpty()) {
            throw new ForbiddenOperationException("scope " + String.join(" or ", wanted) + " is not granted");
        }
        return with;
    }
}
