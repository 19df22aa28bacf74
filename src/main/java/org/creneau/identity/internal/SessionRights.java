package org.creneau.identity.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes a session follow its account's rights: every signed-in request reads the account's security
 * stamp (one primary-key read, {@code account_session_stamp}, V41), which every change of its kind,
 * disabled flag, memberships, roles or agenda rights moves on. When it moved since the session was
 * built, the session's principal is read again; a disabled or deleted account, or staff with no
 * membership left, has its session deleted and the request goes on signed out (401 wherever a
 * session is needed).
 */
class SessionRights extends OncePerRequestFilter {

    /** The security stamp the session's principal was built from. */
    static final String STAMP = "creneau.securityStamp";

    private static final Logger log = LoggerFactory.getLogger(SessionRights.class);

    private final JdbcClient jdbc;
    private final SessionSignIn sessions;

    SessionRights(JdbcClient jdbc, SessionSignIn sessions) {
        this.jdbc = jdbc;
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (auth instanceof SignedInAuthentication signedIn && session != null) {
            UUID accountId = signedIn.getPrincipal().accountId();
            // On its own, outside any transaction: one round trip.
            Long stamp = jdbc.sql("SELECT account_session_stamp(:id)")
                    .param("id", accountId)
                    .query((rs, i) -> rs.getObject(1) == null ? null : rs.getLong(1))
                    .optional()
                    .orElse(null);
            if (!Objects.equals(stamp, session.getAttribute(STAMP))) {
                Optional<SessionSignIn.Principal> now =
                        stamp == null || stamp < 0 ? Optional.empty() : sessions.principal(accountId);
                if (now.isPresent()) {
                    sessions.save(now.get(), request, response);
                    log.info("Session of account {} follows a change of its rights", accountId);
                } else {
                    session.invalidate();
                    SecurityContextHolder.clearContext();
                    log.info(
                            "Session of account {} ended: the account is disabled or has no membership left",
                            accountId);
                }
            }
        }
        chain.doFilter(request, response);
    }
}
