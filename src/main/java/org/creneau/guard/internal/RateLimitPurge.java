package org.creneau.guard.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes rate-limit buckets that have refilled ({@code creneau.guard.rate-purge-interval}, default
 * every 10 minutes): each address, account or app ever seen leaves a row, and a full bucket means
 * nothing more than no row. Off, like all scheduled work, while a command runs.
 */
@Component
@ConditionalOnProperty(name = "creneau.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class RateLimitPurge {

    static final int BATCH = 1000;

    private static final Logger log = LoggerFactory.getLogger(RateLimitPurge.class);

    private final RateLimits limits;

    RateLimitPurge(RateLimits limits) {
        this.limits = limits;
    }

    @Scheduled(
            initialDelayString = "${creneau.guard.rate-purge-interval:PT10M}",
            fixedDelayString = "${creneau.guard.rate-purge-interval:PT10M}")
    int purge() {
        int purged = limits.purgeFull(BATCH);
        if (purged > 0) {
            log.info("Purged {} full rate-limit buckets", purged);
        }
        return purged;
    }
}
