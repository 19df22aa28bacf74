package org.creneau.guard;

import java.time.Duration;

/** A quota of distinct records per hour or per day is used up: try again after {@link #retryAfter()}. */
public class QuotaExceeded extends RuntimeException {

    private final Duration retryAfter;

    public QuotaExceeded(String quota, Duration retryAfter) {
        super("quota reached: " + quota);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, at least one, as {@code Retry-After} wants them. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
