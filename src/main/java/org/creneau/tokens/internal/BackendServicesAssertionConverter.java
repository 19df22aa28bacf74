package org.creneau.tokens.internal;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a {@code private_key_jwt} client authentication as SMART Backend Services clients send
 * it: with no {@code client_id} parameter. The client is the one the assertion names in
 * {@code iss}; the signature and every claim are verified afterwards, so nothing is trusted here.
 */
class BackendServicesAssertionConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final ClientAuthenticationMethod JWT_CLIENT_ASSERTION = new ClientAuthenticationMethod(JWT_BEARER);
    private static final int MAX_ASSERTION_LENGTH = 16_384;

    @Override
    public Authentication convert(HttpServletRequest request) {
        String type = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
        String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
        if (type == null || assertion == null) {
            return null;
        }
        if (!JWT_BEARER.equals(type)
                || request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION).length != 1
                || request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE).length != 1
                || assertion.length() > MAX_ASSERTION_LENGTH) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        String issuer;
        try {
            issuer = SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            issuer = null;
        }
        if (issuer == null || issuer.isBlank()) {
            throw invalidClient("the assertion must name the client in iss");
        }
        String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
        if (clientId != null && !clientId.equals(issuer)) {
            throw invalidClient("client_id and the assertion's iss differ");
        }
        Map<String, Object> additional = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE)
                    && !name.equals(OAuth2ParameterNames.CLIENT_ASSERTION)
                    && !name.equals(OAuth2ParameterNames.CLIENT_ID)) {
                additional.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return new OAuth2ClientAuthenticationToken(issuer, JWT_CLIENT_ASSERTION, assertion, additional);
    }

    private static OAuth2AuthenticationException invalidClient(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, null));
    }
}
