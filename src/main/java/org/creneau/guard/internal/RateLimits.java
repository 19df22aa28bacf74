package org.creneau.guard.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Token buckets per address, account and app, kept in PostgreSQL so that every node counts the same
 * requests. A bucket holds a minute's requests and refills its whole capacity in a minute, a little
 * at a time; the platform's clock drives the refill, so tests can move time. One statement per
 * request ({@code guard_take}, V22), committed without waiting for the disk.
 */
@Component
class RateLimits {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    enum Subject {
        ADDRESS,
        ACCOUNT,
        APP
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final GuardSettings settings;

    RateLimits(JdbcClient jdbc, Clock clock, GuardSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** Takes one request from the subject's bucket: the time to wait, or zero when it may go on. */
    Duration take(Subject subject, String key) {
        int perMinute = switch (subject) {
            case ADDRESS -> settings.requestsPerMinutePerAddress();
            case ACCOUNT -> settings.requestsPerMinutePerAccount();
            case APP -> settings.requestsPerMinutePerApp();
        };
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // guard_take's unflushed commit would become the surrounding transaction's: never inside one.
            throw new IllegalStateException("a rate limit is taken outside any transaction");
        }
        long wait = jdbc.sql("SELECT guard_take(:key, :now, :interval, :capacity)")
                .param("key", subject.name().toLowerCase(Locale.ROOT) + ":" + key)
                .param("now", clock.millis() * 1_000_000L)
                .param("interval", MINUTE_NANOS / perMinute)
                .param("capacity", perMinute)
                .query(Long.class)
                .single();
        return Duration.ofNanos(wait);
    }

    /**
     * Deletes buckets that are full again (their theoretical arrival time is past: a bucket missing
     * is a full one), at most {@code batch} rows a statement so no statement holds many locks;
     * returns how many were deleted. A bucket being taken from meanwhile is skipped, not waited for.
     * No index on {@code tat}: it would cost every request's update its in-place (HOT) write, while
     * the purge's scan covers only the buckets of the last few minutes.
     */
    int purgeFull(int batch) {
        long now = clock.millis() * 1_000_000L;
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                            DELETE FROM guard_rate WHERE key IN
                                (SELECT key FROM guard_rate WHERE tat <= :now LIMIT :batch FOR UPDATE SKIP LOCKED)
                            """).param("now", now).param("batch", batch).update();
            total += deleted;
        } while (deleted == batch);
        return total;
    }
}
