package org.creneau.guard.internal;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Token buckets per address, account and app, kept in PostgreSQL (Bucket4j) so that every node
 * counts the same requests. A bucket refills its whole capacity in a minute, a little at a time;
 * the platform's clock drives the refill, so tests can move time.
 */
@Component
class RateLimits {

    enum Subject {
        ADDRESS,
        ACCOUNT,
        APP
    }

    private final ProxyManager<String> buckets;
    private final GuardSettings settings;

    RateLimits(DataSource dataSource, Clock clock, GuardSettings settings) {
        this.settings = settings;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(new UnflushedCommits(dataSource))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("guard_bucket")
                .clientClock(new TimeMeter() {
                    @Override
                    public long currentTimeNanos() {
                        return clock.millis() * 1_000_000L;
                    }

                    @Override
                    public boolean isWallClockBased() {
                        return true;
                    }
                })
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    /** Takes one request from the subject's bucket: the time to wait, or zero when it may go on. */
    Duration take(Subject subject, String key) {
        int perMinute = switch (subject) {
            case ADDRESS -> settings.requestsPerMinutePerAddress();
            case ACCOUNT -> settings.requestsPerMinutePerAccount();
            case APP -> settings.requestsPerMinutePerApp();
        };
        ConsumptionProbe probe = buckets.builder()
                .build(
                        subject.name().toLowerCase(java.util.Locale.ROOT) + ":" + key,
                        () -> BucketConfiguration.builder()
                                .addLimit(limit ->
                                        limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                                .build())
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }
}
