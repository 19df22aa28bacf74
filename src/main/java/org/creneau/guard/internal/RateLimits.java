package org.creneau.guard.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Token buckets per address, account and app, kept in PostgreSQL (Bucket4j) so that every node
 * counts the same requests. A bucket refills its whole capacity in a minute, a little at a time;
 * the platform's clock drives the refill, so tests can move time.
 */
@Component
class RateLimits implements DisposableBean {

    enum Subject {
        ADDRESS,
        ACCOUNT,
        APP
    }

    private final ProxyManager<String> buckets;
    private final GuardSettings settings;
    private final HikariDataSource pool;

    RateLimits(DataSource dataSource, Clock clock, GuardSettings settings) {
        this.settings = settings;
        this.pool = poolBeside(dataSource);
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool == null ? dataSource : pool)
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

    /**
     * A small pool of its own, on the application's database and role, whose commits do not wait for
     * the disk: a bucket is worth less than the time to flush it, and a crash only forgets a few
     * requests counted. Null when the application's pool is not Hikari (then buckets share it).
     */
    private static HikariDataSource poolBeside(DataSource dataSource) {
        try {
            if (!dataSource.isWrapperFor(HikariDataSource.class)) {
                return null;
            }
            HikariDataSource main = dataSource.unwrap(HikariDataSource.class);
            HikariConfig config = new HikariConfig();
            main.copyStateTo(config);
            config.setPoolName("creneau-rate-limits");
            config.setMaximumPoolSize(Math.min(4, main.getMaximumPoolSize()));
            config.setMinimumIdle(0);
            config.setConnectionInitSql("SET synchronous_commit = off");
            return new HikariDataSource(config);
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    @Override
    public void destroy() {
        if (pool != null) {
            pool.close();
        }
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
