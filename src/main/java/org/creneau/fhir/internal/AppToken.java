package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApps;
import org.creneau.tokens.AccessTokenClaims;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What the bearer of an access token may do now: the grants of its token that are still active,
 * each with its organization and scopes. Deny by default.
 */
record AppToken(UUID appId, List<ActiveGrant> grants) {

    private static final String CACHED = AppToken.class.getName();

    /** Once per request: the hooks around a FHIR call and the call itself share what was read. */
    static AppToken current(ConnectedApps registry) {
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

    private static AppToken read(ConnectedApps registry) {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt)) {
            throw new AuthenticationException("a bearer token is required");
        }
        UUID app = UUID.fromString(jwt.getToken().getClaimAsString(AccessTokenClaims.APP_ID));
        Set<String> tokenGrants = Set.copyOf(jwt.getToken().getClaimAsStringList(AccessTokenClaims.GRANT_IDS));
        Set<String> tokenScopes = Set.copyOf(jwt.getToken().getClaimAsStringList("scope"));
        List<ActiveGrant> still = registry.activeGrants(app).stream()
                .filter(g -> tokenGrants.contains(g.grantId().toString()))
                .map(g -> new ActiveGrant(
                        g.grantId(),
                        g.organizationId(),
                        g.scopes().stream().filter(tokenScopes::contains).toList(),
                        g.limits(),
                        g.contactDetails()))
                .collect(Collectors.toList());
        if (still.isEmpty()) {
            // Suspended or revoked since the token was issued: the token no longer opens anything.
            throw new AuthenticationException("the grants of this token are no longer active");
        }
        return new AppToken(app, still);
    }

    /** The grants carrying one of {@code scopes}; refused (403) when none does. */
    List<ActiveGrant> requireScope(String... scopes) {
        List<String> wanted = List.of(scopes);
        List<ActiveGrant> with = grants.stream()
                .filter(g -> g.scopes().stream().anyMatch(wanted::contains))
                .toList();
        if (with.isEmpty()) {
            throw new ForbiddenOperationException("scope " + String.join(" or ", wanted) + " is not granted");
        }
        return with;
    }
}
