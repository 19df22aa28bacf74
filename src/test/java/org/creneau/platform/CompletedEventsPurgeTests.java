package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Completed event publications go once older than the time kept; incomplete ones stay, however old. */
@IntegrationTest
class CompletedEventsPurgeTests {

    @Autowired
    CompletedEventsPurge purge;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Test
    void completedPublicationsOlderThanAWeekAreDeletedAndIncompleteOnesKept() {
        Instant now = clock.instant();
        UUID oldCompleted = publication(now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(8)));
        UUID recentCompleted = publication(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        UUID oldIncomplete = publication(now.minus(Duration.ofDays(30)), null);

        assertThat(purge.purge()).isGreaterThanOrEqualTo(1);

        assertThat(exists(oldCompleted)).isFalse();
        assertThat(exists(recentCompleted)).isTrue();
        assertThat(exists(oldIncomplete))
                .as("an incomplete publication is resubmitted, never purged")
                .isTrue();
        jdbc.sql("DELETE FROM event_publication WHERE id IN (:ids)")
                .param("ids", java.util.List.of(recentCompleted, oldIncomplete))
                .update();
    }

    private UUID publication(Instant published, Instant completed) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date,
                                                       completion_date, status, completion_attempts)
                        VALUES (:id, 'purge.test.Listener', 'purge.test.Event', '{}', :published, :completed, :status, 1)
                        """)
                .param("id", id)
                .param("published", published.atOffset(ZoneOffset.UTC))
                .param(
                        "completed",
                        completed == null ? null : completed.atOffset(ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("status", completed == null ? "FAILED" : "COMPLETED")
                .update();
        return id;
    }

    private boolean exists(UUID id) {
        return jdbc.sql("SELECT count(*) FROM event_publication WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                == 1;
    }
}
