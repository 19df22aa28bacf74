package org.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class DoubleBookingRaceTests {

    static final int CLIENTS = 32;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Test
    void thirtyTwoPatientsRacingForOneSlotLeaveExactlyOneWinner() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("ophtalmologue");
        Instant start = BookingApiTests.TUESDAY_9;
        List<ApiClient> patients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            ApiClient client = new ApiClient(port);
            client.registerAndLogin("race-" + UUID.randomUUID() + "@test.creneau.fr");
            patients.add(client);
        }
        Map<String, Object> body = Map.of(
                "practitionerId", practice.practitionerId(),
                "siteId", practice.siteId(),
                "motiveId", practice.motiveId(),
                "start", start.toString());

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> outcomes = new ArrayList<>();
        for (ApiClient patient : patients) {
            outcomes.add(pool.submit(() -> {
                go.await();
                return patient.post("/api/v1/appointments", body).status();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> outcome : outcomes) {
            statuses.add(outcome.get());
        }
        pool.shutdown();

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(CLIENTS - 1);
        assertThat(liveAppointmentsAt(practice, start)).isEqualTo(1);
    }

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    org.creneau.access.TenantScope scope;

    private long liveAppointmentsAt(Practice practice, Instant start) {
        return scope.read(
                new org.creneau.access.Caller.System(practice.organizationId()),
                () -> new JdbcTemplate(dataSource)
                        .queryForObject(
                                "SELECT count(*) FROM appointment WHERE practitioner_id = ? AND start_at = ? AND status IN ('HELD','BOOKED')",
                                Long.class,
                                practice.practitionerId(),
                                java.sql.Timestamp.from(start)));
    }
}
