package org.creneau.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The rate limiter's unflushed commits stay its own: the pooled connection comes back as it was. */
@IntegrationTest
class UnflushedCommitsTests {

    @Autowired
    DataSource app;

    @Test
    void aBucketsCommitIsMadeAndLeavesTheConnectionsDurabilityAsItWas() throws SQLException {
        String serverSetting;
        try (Connection plain = app.getConnection()) {
            serverSetting = setting(plain);
        }
        DataSource limiter = new UnflushedCommits(app);
        try (Connection c = limiter.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE unflushed_probe (n int) ON COMMIT PRESERVE ROWS");
                s.execute("INSERT INTO unflushed_probe VALUES (1)");
            }
            assertThat(setting(c)).isEqualTo(serverSetting);
            c.commit();
            // SET LOCAL ended with the transaction: the next user of this connection commits as configured.
            assertThat(setting(c)).isEqualTo(serverSetting);
            c.setAutoCommit(true);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM unflushed_probe")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                s.execute("DROP TABLE unflushed_probe");
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
