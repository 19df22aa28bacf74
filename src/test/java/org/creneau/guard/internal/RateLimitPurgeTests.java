package org.creneau.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/** Buckets that have refilled are purged, in batches; a bucket still refilling is kept. */
@IntegrationTest
class RateLimitPurgeTests {

    @Autowired
    RateLimits limits;

    @Autowired
    RateLimitPurge purge;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcTemplate db;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        db = new JdbcTemplate(owner);
    }

    boolean exists(String key) {
        return db.queryForObject("SELECT EXISTS (SELECT 1 FROM guard_rate WHERE key = ?)", Boolean.class, key);
    }

    @Test
    void aBucketIsPurgedOnceFullAgainAndNotBefore() {
        String address = "purge-" + UUID.randomUUID();
        for (int i = 0; i < 30; i++) {
            assertThat(limits.take(RateLimits.Subject.ADDRESS, address)).isZero();
        }

        purge.purge();
        assertThat(exists("address:" + address))
                .as("30 of 600 taken: still refilling")
                .isTrue();

        clock.advance(Duration.ofSeconds(3));
        purge.purge();
        assertThat(exists("address:" + address))
                .as("refilled after 30 × 100 ms")
                .isFalse();
        assertThat(limits.take(RateLimits.Subject.ADDRESS, address))
                .as("a purged bucket is a full one")
                .isZero();
    }

    @Test
    void manyFullBucketsArePurgedInSeveralBatches() {
        String prefix = "batch-" + UUID.randomUUID() + "-";
        long past = clock.millis() * 1_000_000L - 1;
        List<Object[]> rows = IntStream.range(0, RateLimitPurge.BATCH * 2 + 500)
                .mapToObj(i -> new Object[] {prefix + i, past})
                .toList();
        db.batchUpdate("INSERT INTO guard_rate (key, tat) VALUES (?, ?)", rows);

        assertThat(purge.purge()).isGreaterThanOrEqualTo(rows.size());

        assertThat(db.queryForObject("SELECT count(*) FROM guard_rate WHERE key LIKE ?", Integer.class, prefix + "%"))
                .isZero();
    }
}
