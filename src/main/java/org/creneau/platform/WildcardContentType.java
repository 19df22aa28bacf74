package org.creneau.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses with 415 a request whose Content-Type is a wildcard ({@code *}/{@code *}, {@code
 * application/*}): a body has one concrete media type, and Spring MVC fails on a wildcard with an
 * internal error instead (spring-framework#27957). FHIR requests are left to HAPI, which answers
 * them in its own format.
 */
@Component
class WildcardContentType extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(WildcardContentType.class);

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return request.getContentType() == null || path.startsWith("/fhir/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!wildcard(request.getContentType())) {
            chain.doFilter(request, response);
            return;
        }
        log.warn("Refused a wildcard Content-Type on {} {}", request.getMethod(), request.getRequestURI());
        response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
        response.setContentType("application/problem+json");
        response.getOutputStream()
                .write(("{\"type\":\"about:blank\",\"title\":\"Unsupported Media Type\",\"status\":415,"
                                + "\"detail\":\"The Content-Type of the body must name one media type, not a wildcard.\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static boolean wildcard(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // Not a media type at all: Spring MVC refuses it itself with a 415.
            return false;
        }
    }
}
