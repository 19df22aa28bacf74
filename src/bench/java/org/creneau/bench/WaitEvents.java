package org.creneau.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What the database's sessions are doing while a part runs: every 50 ms, the state and wait event
 * of each client session of the application's database {@code creneau} (as the embedded superuser, who sees them
 * all), counted. A session that is active with no wait event is running on a CPU (or waiting for
 * one); "idle in transaction" is a session waiting for the application between two statements.
 */
final class WaitEvents implements AutoCloseable {

    private static final long PERIOD_MS = 50;

    private final DataSource superuser;
    private final Map<String, Long> counts = new TreeMap<>();
    private final Thread sampler;
    private volatile boolean sampling;
    private volatile boolean stopped;
    private long samples;

    WaitEvents(DataSource superuser) {
        this.superuser = superuser;
        this.sampler = new Thread(this::sample, "bench-wait-events");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /** Counting starts (before, the sampler only waits). */
    void start() {
        sampling = true;
    }

    /** Counting stops; what was counted stays. */
    void stop() {
        sampling = false;
    }

    /** Sessions seen in each state and wait event, per sample taken: the mean number of sessions so. */
    synchronized Map<String, Double> meanSessions() {
        Map<String, Double> mean = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> mean.put(e.getKey(), samples == 0 ? 0.0 : (double) e.getValue() / samples));
        return mean;
    }

    synchronized long samples() {
        return samples;
    }

    private void sample() {
        try (Connection c = superuser.getConnection();
                Statement s = c.createStatement()) {
            while (!stopped) {
                if (sampling) {
                    Map<String, Long> seen = new TreeMap<>();
                    try (ResultSet rs = s.executeQuery("""
                            SELECT state, coalesce(wait_event_type || ':' || wait_event, 'CPU') AS waiting
                              FROM pg_stat_activity
                             WHERE datname = 'creneau' AND backend_type = 'client backend'
                               AND pid <> pg_backend_pid() AND state <> 'idle'
                            """)) {
                        while (rs.next()) {
                            seen.merge(rs.getString(1) + " / " + rs.getString(2), 1L, Long::sum);
                        }
                    }
                    synchronized (this) {
                        samples++;
                        seen.forEach((k, v) -> counts.merge(k, v, Long::sum));
                    }
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (SQLException e) {
            System.err.println("Wait events not sampled: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        sampler.join(5_000);
    }
}
