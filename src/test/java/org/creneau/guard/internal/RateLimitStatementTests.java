package org.creneau.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The rate limit's one statement: a token bucket (a minute's capacity, refilled a little at a time),
 * committed without waiting for the disk, and that setting stays its own: the pooled connection
 * comes back as it was.
 */
@IntegrationTest
class RateLimitStatementTests {

    static final long SECOND = 1_000_000_000L;

    @Autowired
    DataSource app;

    @Test
    void aBucketServesItsCapacityThenRefusesUntilItRefillsAndLeavesTheConnectionDurable() throws SQLException {
        String key = "test:" + UUID.randomUUID();
        long now = 1_800_000_000L * SECOND;
        long interval = 60 * SECOND / 3;
        try (Connection c = app.getConnection()) {
            String serverSetting = setting(c);
            assertThat(take(c, key, now, interval)).isZero();
            assertThat(take(c, key, now, interval)).isZero();
            assertThat(take(c, key, now, interval)).isZero();
            assertThat(take(c, key, now, interval))
                    .as("the fourth of three a minute waits for one interval")
                    .isEqualTo(interval);
            assertThat(take(c, key, now + interval, interval)).isZero();
            // The statement's set_config ended with its own transaction.
            assertThat(setting(c)).isEqualTo(serverSetting);
        }
    }

    private static long take(Connection c, String key, long now, long interval) throws SQLException {
        try (var s = c.prepareStatement("SELECT guard_take(?, ?, ?, 3)")) {
            s.setString(1, key);
            s.setLong(2, now);
            s.setLong(3, interval);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String setting(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
