package org.creneau.guard.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.creneau.platform.ClientAddress;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The rate limit of requests Spring Security answers by itself, which never reach
 * {@link RateLimitFilter}: a bad bearer token or session (401), a missing CSRF token (403), the
 * token endpoint. Such a request is counted afterwards in its address's bucket; once that bucket
 * is empty the node refuses the address's requests with 429 before any authentication work, until
 * the bucket has refilled. The bucket is the shared one, so each node learns of an empty bucket at
 * its own next answered request from that address (at most one more per node).
 */
class UncountedRequestLimit extends OncePerRequestFilter {

    /** Set by {@link RateLimitFilter} on a request it counted. */
    static final String COUNTED = UncountedRequestLimit.class.getName() + ".counted";

    /** Addresses refused on this node; bounded so a spread of addresses cannot fill the memory. */
    private static final int MAX_REFUSED = 100_000;

    private final RateLimits limits;
    private final GuardSettings settings;
    private final Clock clock;
    private final Map<String, Instant> refusedUntil = new ConcurrentHashMap<>();

    UncountedRequestLimit(RateLimits limits, GuardSettings settings, Clock clock) {
        this.limits = limits;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return RateLimitFilter.isStatic(request)
                || settings.unlimitedAddresses().contains(request.getRemoteAddr());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = ClientAddress.bucketOf(request.getRemoteAddr());
        Instant now = clock.instant();
        Instant until = refusedUntil.get(address);
        if (until != null) {
            if (now.isBefore(until)) {
                RateLimitFilter.refuse(request, response, Duration.between(now, until));
                return;
            }
            refusedUntil.remove(address, until);
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.getAttribute(COUNTED) == null) {
                Duration wait = limits.take(RateLimits.Subject.ADDRESS, address);
                if (!wait.isZero()) {
                    remember(address, now.plus(wait));
                }
            }
        }
    }

    private void remember(String address, Instant until) {
        if (refusedUntil.size() >= MAX_REFUSED) {
            Instant now = clock.instant();
            refusedUntil.values().removeIf(u -> !now.isBefore(u));
            if (refusedUntil.size() >= MAX_REFUSED) {
                return; // the shared bucket still counts; this node only refuses later
            }
        }
        refusedUntil.put(address, until);
    }
}
