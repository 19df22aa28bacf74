package org.creneau.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.creneau.guard.internal.Containment;
import org.creneau.support.Fixtures;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A signal that fires on many request threads at once contains the grant once: one journal freeze,
 * one alert, one suspension order; after an admin resumes the grant, the next signal contains it again.
 */
@IntegrationTest
class ContainmentRaceTests {

    static final int THREADS = 16;

    @Autowired
    Containment containment;

    @Autowired
    AppGuard guard;

    @Autowired
    Fixtures fixtures;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @Test
    void aSignalTrippedOnManyRequestThreadsAtOnceContainsTheGrantOnceUntilItIsResumed() throws Exception {
        UUID organization = fixtures.practice("dermatologue").organizationId();
        UUID app = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        for (int round = 0; round < 3; round++) {
            raceContainments(app, grant, organization);
        }
        assertThat(alerts(grant)).as("one alert for the grant").isEqualTo(1);
        assertThat(freezes(app)).as("one journal freeze for the app").isEqualTo(1);

        guard.forgive(organization, grant);
        raceContainments(app, grant, organization);
        assertThat(alerts(grant)).as("contained again once resumed").isEqualTo(2);
        assertThat(freezes(app)).isEqualTo(2);
    }

    private void raceContainments(UUID app, UUID grant, UUID organization) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                requests.add(pool.submit(() -> {
                    start.await();
                    containment.contain(app, grant, organization, Signal.ENUMERATION, "race test");
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> each : requests) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private long alerts(UUID grant) {
        return new JdbcTemplate(owner)
                .queryForObject("SELECT count(*) FROM guard_alert WHERE grant_id = ?", Long.class, grant);
    }

    private long freezes(UUID app) {
        return new JdbcTemplate(owner)
                .queryForObject("SELECT count(*) FROM journal_freeze WHERE actor_id = ?", Long.class, app);
    }
}
