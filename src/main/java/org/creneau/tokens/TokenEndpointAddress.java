package org.creneau.tokens;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The authorization server's public address: {@code creneau.connect.issuer} when set (behind a
 * proxy), else the address the request came to, as the authorization server itself resolves it.
 */
@Component
public class TokenEndpointAddress {

    private final String configured;

    TokenEndpointAddress(@Value("${creneau.connect.issuer:}") String configured) {
        this.configured = configured.isBlank() ? null : configured.replaceAll("/+$", "");
    }

    public String configured() {
        return configured;
    }

    public String issuer(HttpServletRequest request) {
        if (configured != null) {
            return configured;
        }
        return ServletUriComponentsBuilder.fromContextPath(request)
                .replacePath(request.getContextPath())
                .replaceQuery(null)
                .build()
                .toUriString();
    }
}
