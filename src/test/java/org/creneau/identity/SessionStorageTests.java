package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class SessionStorageTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcTemplate database;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        database = new JdbcTemplate(owner);
    }

    /** The session id behind the cookie (Spring Session writes it base64-encoded). */
    static String sessionId(ApiClient client) {
        return new String(Base64.getDecoder().decode(client.cookie("SESSION")), StandardCharsets.UTF_8);
    }

    long rows(String sessionId) {
        return database.queryForObject(
                "SELECT count(*) FROM spring_session WHERE session_id = ?", Long.class, sessionId);
    }

    @Test
    void aSignedInSessionLivesInPostgreSQLUnderTheAccountIdAndGoesAtLogout() {
        ApiClient client = new ApiClient(port);
        String accountId = client.registerAndLogin("p-" + UUID.randomUUID() + "@test.creneau.fr");
        String id = sessionId(client);

        Map<String, Object> row = database.queryForMap(
                "SELECT max_inactive_interval, principal_name FROM spring_session WHERE session_id = ?", id);
        assertThat(row.get("max_inactive_interval")).isEqualTo(1800);
        assertThat(row.get("principal_name")).isEqualTo(accountId);
        List<String> attributes = database.queryForList("""
                SELECT a.attribute_name FROM spring_session_attributes a
                  JOIN spring_session s ON s.primary_id = a.session_primary_id WHERE s.session_id = ?
                """, String.class, id);
        assertThat(attributes).contains("SPRING_SECURITY_CONTEXT");

        assertThat(client.get("/api/v1/me").text("accountId")).isEqualTo(accountId);

        assertThat(client.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
        assertThat(rows(id)).isZero();
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void signingInReplacesThePendingSessionRow() {
        Practice practice = fixtures.practice("orl");
        ApiClient client = new ApiClient(port, clock);
        client.post("/api/v1/auth/login", Map.of("email", practice.staffEmail(), "password", Fixtures.PASSWORD));
        String pending = sessionId(client);
        assertThat(rows(pending)).isOne();

        client.post("/api/v1/auth/login/second-factor", Map.of("code", client.currentCode(Fixtures.TOTP_SECRET)));
        String signedIn = sessionId(client);
        assertThat(signedIn).isNotEqualTo(pending);
        assertThat(rows(pending)).isZero();
        assertThat(rows(signedIn)).isOne();
    }

    @Test
    void aSessionEndsTwelveHoursAfterSignInHoweverActiveItIs() {
        ApiClient client = new ApiClient(port);
        String email = "p-" + UUID.randomUUID() + "@test.creneau.fr";
        client.registerAndLogin(email);
        String id = sessionId(client);

        for (int hour = 1; hour < 12; hour++) {
            clock.advance(Duration.ofHours(1));
            assertThat(client.get("/api/v1/me").status())
                    .as("after %d hours", hour)
                    .isEqualTo(200);
        }
        clock.advance(Duration.ofMinutes(59));
        assertThat(client.get("/api/v1/me").status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(1));
        Response ended = client.get("/api/v1/me");
        assertThat(ended.status()).isEqualTo(401);
        assertThat(ended.contentType()).startsWith("application/problem+json");
        assertThat(rows(id)).isZero();
        assertThat(client.get("/api/v1/me/appointments").status()).isEqualTo(401);

        // Signing in again starts a new session of its own twelve hours.
        client.login(email, Fixtures.PASSWORD);
        assertThat(sessionId(client)).isNotEqualTo(id);
        clock.advance(Duration.ofHours(11));
        assertThat(client.get("/api/v1/me").status()).isEqualTo(200);
    }
}
