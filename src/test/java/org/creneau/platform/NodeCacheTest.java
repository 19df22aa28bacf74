package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.creneau.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What a node keeps is never served stale: by age, by a change raced with a load, by an open change. */
class NodeCacheTest {

    final MutableClock clock = new MutableClock(Instant.parse("2027-01-04T06:00:00Z"));
    final NodeCache<String, String, String> cache = new NodeCache<>(3, Duration.ofSeconds(5), clock);

    @Test
    void aValueIsServedWithinItsTimeToLiveOnlyAndNotAfterTheClockMovesBack() {
        cache.put(cache.ticket(), "a", "agenda", "free");
        clock.advance(Duration.ofSeconds(4));
        assertThat(cache.get("a")).isEqualTo("free");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("a")).isNull();

        cache.put(cache.ticket(), "a", "agenda", "free");
        clock.advance(Duration.ofSeconds(-1));
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void aValueReadBeforeAChangeOfItsGroupIsNotStored() {
        NodeCache.Ticket beforeTheChange = cache.ticket();
        cache.invalidateGroup("agenda");
        cache.put(beforeTheChange, "a", "agenda", "old");
        cache.put(beforeTheChange, "b", "other agenda", "unrelated");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isEqualTo("unrelated");

        cache.invalidateAll();
        cache.put(beforeTheChange, "b", "other agenda", "unrelated");
        assertThat(cache.get("b")).isNull();
    }

    @Test
    void theLeastRecentlyUsedGoesFirstWhenFull() {
        cache.put(cache.ticket(), "a", "g", "1");
        cache.put(cache.ticket(), "b", "g", "2");
        cache.put(cache.ticket(), "c", "g", "3");
        cache.get("a");
        cache.put(cache.ticket(), "d", "g", "4");
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isEqualTo("1");
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void invalidatingAGroupDropsItsMatchingKeysOnlyEvenAfterAKeyChangedGroupOrWasPushedOut() {
        cache.put(cache.ticket(), "monday", "agenda", "free");
        cache.put(cache.ticket(), "tuesday", "agenda", "free");
        cache.put(cache.ticket(), "elsewhere", "other agenda", "free");

        cache.invalidate("agenda", "monday"::equals);
        assertThat(cache.get("monday")).isNull();
        assertThat(cache.get("tuesday")).isEqualTo("free");
        assertThat(cache.get("elsewhere")).isEqualTo("free");

        // A key stored again under another group belongs to that group only.
        cache.put(cache.ticket(), "tuesday", "other agenda", "moved");
        cache.invalidateGroup("agenda");
        assertThat(cache.get("tuesday")).isEqualTo("moved");
        cache.invalidateGroup("other agenda");
        assertThat(cache.get("tuesday")).isNull();
        assertThat(cache.get("elsewhere")).isNull();
        assertThat(cache.size()).isZero();

        // Pushed out by the bound, then stored again: its group still finds it.
        for (String key : new String[] {"a", "b", "c", "d"}) {
            cache.put(cache.ticket(), key, "g" + key, "free");
        }
        cache.put(cache.ticket(), "a", "ga", "again");
        cache.invalidateGroup("ga");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aTransactionThatChangedAGroupStoresNothingAndItsEndDropsTheGroupAgain() throws InterruptedException {
        TransactionSynchronizationManager.initSynchronization();
        try {
            cache.invalidate("agenda", k -> true);
            cache.put(cache.ticket(), "a", "agenda", "uncommitted");
            assertThat(cache.get("a")).isNull();
        } finally {
            var synchronizations = TransactionSynchronizationManager.getSynchronizations();
            TransactionSynchronizationManager.clearSynchronization();
            // Another reader, on its own thread, stores what it read before the commit.
            Thread reader = new Thread(() -> cache.put(cache.ticket(), "a", "agenda", "read before the commit"));
            reader.start();
            reader.join();
            assertThat(cache.get("a")).isEqualTo("read before the commit");
            // The end of the change drops it.
            synchronizations.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
        }
        assertThat(cache.get("a")).isNull();
        cache.put(cache.ticket(), "a", "agenda", "committed");
        assertThat(cache.get("a")).isEqualTo("committed");
    }
}
