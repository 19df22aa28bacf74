package org.creneau.identity.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a signed-in session a fixed time after sign-in, however active it stays (the idle timeout
 * is Spring Session's). Measured with the application's clock from the moment of sign-in.
 */
class SessionLifetime extends OncePerRequestFilter {

    /** When the session became signed in, by the application's clock: the absolute timeout counts from it. */
    static final String SIGNED_IN_AT = "creneau.signedInAt";

    private static final Logger log = LoggerFactory.getLogger(SessionLifetime.class);

    private final Clock clock;
    private final Duration absoluteTimeout;

    SessionLifetime(Clock clock, Duration absoluteTimeout) {
        this.clock = clock;
        this.absoluteTimeout = absoluteTimeout;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null
                && session.getAttribute(SIGNED_IN_AT) instanceof Instant signedInAt
                && !clock.instant().isBefore(signedInAt.plus(absoluteTimeout))) {
            session.invalidate();
            SecurityContextHolder.clearContext();
            log.info("Session ended {} after sign-in", absoluteTimeout);
        }
        // The request goes on as anonymous: 401 wherever a session is needed, while a new login
        // or a public page still works with the stale cookie.
        chain.doFilter(request, response);
    }
}
