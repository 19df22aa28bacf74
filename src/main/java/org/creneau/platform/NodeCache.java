package org.creneau.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A bounded cache kept in one node's memory, for values read from PostgreSQL that every node may
 * serve for a short while (see docs/architecture.md, "What a node keeps in memory").
 *
 * <p>Three rules keep it from serving what the database no longer says. An entry older than the
 * time to live (on the application's clock) is never served: that bounds what other nodes'
 * changes, which raise no event here, can leave stale. A change made on this node invalidates its
 * group now and again after its transaction ends, and a value whose load began before an
 * invalidation of its group is not stored: a reader that read the database just before the change
 * committed cannot put the old value back. A transaction that invalidated something stores nothing
 * it reads, since it reads its own uncommitted changes.
 *
 * @param <K> the key
 * @param <G> the group a key belongs to, the unit of invalidation (an agenda, say)
 * @param <V> the value
 */
public final class NodeCache<K, G, V> {

    private final int maxEntries;
    private final Duration timeToLive;
    private final Clock clock;
    private final LinkedHashMap<K, Entry<G, V>> entries = new LinkedHashMap<>(256, 0.75f, true);
    /** The keys held of each group: a group is dropped without scanning the whole cache. */
    private final Map<G, Set<K>> keysByGroup = new HashMap<>();
    /** The sequence number of the last invalidation of each group, and of the whole cache. */
    private final Map<G, Long> invalidatedAt = new HashMap<>();

    private long sequence;
    private long allInvalidatedAt;
    private long hits;
    private long misses;
    private long expired;
    private long evicted;
    private long refused;

    private record Entry<G, V>(G group, V value, Instant loadedAt) {}

    /** Taken before reading the database; a value read after it is stored only if nothing changed since. */
    public record Ticket(long sequence) {}

    /**
     * What the cache did since it was made: lookups served, lookups that found nothing, found an
     * entry past its time to live, entries pushed out by the bound, values not stored because their
     * group changed while they were read. For sizing it (docs/architecture.md) and for benchmarks.
     */
    public record Stats(long hits, long misses, long expired, long evicted, long refused, int size) {}

    public NodeCache(int maxEntries, Duration timeToLive, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    /** The value, if present and loaded within the time to live; else null. */
    public synchronized V get(K key) {
        Entry<G, V> entry = entries.get(key);
        if (entry == null) {
            misses++;
            return null;
        }
        if (!fresh(entry.loadedAt())) {
            entries.remove(key);
            unindex(key, entry.group());
            expired++;
            return null;
        }
        hits++;
        return entry.value();
    }

    public synchronized Ticket ticket() {
        return new Ticket(sequence);
    }

    /**
     * Stores a value read after {@code ticket}, unless its group (or everything) was invalidated
     * since, or the current transaction changed what this cache holds.
     */
    public synchronized void put(Ticket ticket, K key, G group, V value) {
        if (TransactionSynchronizationManager.hasResource(this)) {
            refused++;
            return;
        }
        if (allInvalidatedAt > ticket.sequence() || invalidatedAt.getOrDefault(group, -1L) > ticket.sequence()) {
            refused++;
            return;
        }
        Entry<G, V> replaced = entries.put(key, new Entry<>(group, Objects.requireNonNull(value), clock.instant()));
        if (replaced != null && !replaced.group().equals(group)) {
            unindex(key, replaced.group());
        }
        keysByGroup.computeIfAbsent(group, g -> new HashSet<>()).add(key);
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<K, Entry<G, V>>> eldest = entries.entrySet().iterator();
            Map.Entry<K, Entry<G, V>> out = eldest.next();
            eldest.remove();
            unindex(out.getKey(), out.getValue().group());
            evicted++;
        }
    }

    /** Forgets the keys of a group that match, now and when the current transaction ends. */
    public void invalidate(G group, Predicate<K> keys) {
        changed(() -> drop(group, keys));
    }

    public void invalidateGroup(G group) {
        invalidate(group, k -> true);
    }

    /** Forgets everything, now and when the current transaction ends. */
    public void invalidateAll() {
        changed(this::dropAll);
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized Stats stats() {
        return new Stats(hits, misses, expired, evicted, refused, entries.size());
    }

    private void changed(Runnable drop) {
        drop.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            if (!TransactionSynchronizationManager.hasResource(this)) {
                TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(NodeCache.this);
                    }
                });
            }
            // Readers that loaded between the change and its commit saw the old rows: drop again once
            // the change is visible (or rolled back), and refuse what they still try to store.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    drop.run();
                }
            });
        }
    }

    private synchronized void drop(G group, Predicate<K> keys) {
        sequence++;
        invalidatedAt.put(group, sequence);
        Set<K> held = keysByGroup.get(group);
        if (held != null) {
            for (Iterator<K> it = held.iterator(); it.hasNext(); ) {
                K key = it.next();
                if (keys.test(key)) {
                    entries.remove(key);
                    it.remove();
                }
            }
            if (held.isEmpty()) {
                keysByGroup.remove(group);
            }
        }
        if (invalidatedAt.size() > 4 * maxEntries) {
            // Old marks only matter to loads still running; after a full reset none can store.
            invalidatedAt.clear();
            allInvalidatedAt = sequence;
        }
    }

    private synchronized void dropAll() {
        sequence++;
        allInvalidatedAt = sequence;
        invalidatedAt.clear();
        entries.clear();
        keysByGroup.clear();
    }

    private void unindex(K key, G group) {
        Set<K> held = keysByGroup.get(group);
        if (held != null && held.remove(key) && held.isEmpty()) {
            keysByGroup.remove(group);
        }
    }

    private boolean fresh(Instant loadedAt) {
        Instant now = clock.instant();
        // A clock moved back (tests do) also makes the entry unusable: it may hold what is now future.
        return !now.isBefore(loadedAt) && now.isBefore(loadedAt.plus(timeToLive));
    }
}
