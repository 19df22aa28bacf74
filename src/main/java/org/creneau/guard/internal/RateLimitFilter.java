package org.creneau.guard.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.creneau.access.SignedInAccount;
import org.creneau.platform.ClientAddress;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits each request by who makes it: a connected app by its client id, a signed-in account by
 * its id, anyone else by client address (an IPv6 address by its /64; behind a trusted proxy, the
 * address it forwards). Over the limit:
 * 429 with {@code Retry-After}, as an OperationOutcome under /fhir, else a problem document.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final GuardSettings settings;

    RateLimitFilter(RateLimits limits, GuardSettings settings) {
        this.limits = limits;
        this.settings = settings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isStatic(request);
    }

    /** The application's own files and the FHIR capability statement: never limited. */
    static boolean isStatic(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/css/")
                || path.startsWith("/js/")
                || path.startsWith("/webjars/")
                || path.equals("/favicon.ico")
                || path.equals("/fhir/metadata");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(UncountedRequestLimit.COUNTED, Boolean.TRUE);
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        Duration wait;
        if (auth instanceof JwtAuthenticationToken app) {
            wait = limits.take(RateLimits.Subject.APP, app.getName());
        } else if (auth != null && auth.getPrincipal() instanceof SignedInAccount account) {
            wait = limits.take(RateLimits.Subject.ACCOUNT, account.accountId().toString());
        } else if (settings.unlimitedAddresses().contains(request.getRemoteAddr())) {
            wait = Duration.ZERO;
        } else {
            wait = limits.take(RateLimits.Subject.ADDRESS, ClientAddress.bucketOf(request.getRemoteAddr()));
        }
        if (wait.isZero()) {
            chain.doFilter(request, response);
            return;
        }
        refuse(request, response, wait);
    }

    /** Answers 429 with Retry-After: an OperationOutcome under /fhir, else a problem document. */
    static void refuse(HttpServletRequest request, HttpServletResponse response, Duration wait) throws IOException {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(seconds));
        String detail = "Too many requests: try again in " + seconds + " s.";
        String body;
        if (request.getRequestURI().startsWith(request.getContextPath() + "/fhir/")) {
            response.setContentType("application/fhir+json");
            body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"throttled\","
                    + "\"diagnostics\":\"" + detail + "\"}]}";
        } else {
            response.setContentType("application/problem+json");
            body = "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"" + detail
                    + "\"}";
        }
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
