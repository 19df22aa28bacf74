package org.creneau.guard.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The rate limit of one grant, set by its organization's admin within the platform's ceiling: a token
 * bucket {@code grant:{id}} in the same table and function as every other bucket ({@code guard_take},
 * V22), so every node counts the same requests.
 */
@Component
public class GrantRateLimit {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final JdbcClient jdbc;
    private final Clock clock;

    GrantRateLimit(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Takes one request from the grant's bucket: the time to wait, or zero when it may go on. */
    public Duration take(UUID grantId, int perMinute) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // guard_take's unflushed commit would become the surrounding transaction's: never inside one.
            throw new IllegalStateException("a rate limit is taken outside any transaction");
        }
        long wait = jdbc.sql("SELECT guard_take(:key, :now, :interval, :capacity)")
                .param("key", "grant:" + grantId)
                .param("now", clock.millis() * 1_000_000L)
                .param("interval", MINUTE_NANOS / perMinute)
                .param("capacity", perMinute)
                .query(Long.class)
                .single();
        return Duration.ofNanos(wait);
    }
}
