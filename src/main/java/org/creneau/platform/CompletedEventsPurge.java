package org.creneau.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the event publications every listener completed more than {@code keep-completed} ago
 * (7 days by default): the registry would otherwise grow by a row per listener and event forever.
 * Incomplete ones are never touched: they are what resubmission hands out again. In batches, so a
 * long backlog never holds one long transaction; every node may run it, a row is deleted once.
 */
@Component
@ConditionalOnProperty(name = "creneau.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class CompletedEventsPurge {

    private static final Logger log = LoggerFactory.getLogger(CompletedEventsPurge.class);
    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration keep;

    CompletedEventsPurge(JdbcClient jdbc, Clock clock, @Value("${creneau.events.keep-completed:P7D}") Duration keep) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.keep = keep;
    }

    @Scheduled(
            initialDelayString = "${creneau.events.purge-interval:PT1H}",
            fixedDelayString = "${creneau.events.purge-interval:PT1H}")
    void purgeOnSchedule() {
        purge();
    }

    /** Returns how many publications were deleted. */
    int purge() {
        var cutoff = clock.instant().minus(keep).atOffset(ZoneOffset.UTC);
        int total = 0;
        int deleted;
        do {
            deleted =
                    jdbc.sql("""
                            DELETE FROM event_publication WHERE id IN (
                                SELECT id FROM event_publication
                                 WHERE completion_date < :cutoff
                                 LIMIT :batch
                                 FOR UPDATE SKIP LOCKED)
                            """).param("cutoff", cutoff).param("batch", BATCH).update();
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            log.info("Deleted {} completed event publications", total);
        }
        return total;
    }
}
