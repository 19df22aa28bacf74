package org.creneau.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
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
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The second wall: PostgreSQL itself refuses what the application might forget to filter. These
 * tests query as the application's own role, bypassing every service.
 */
@IntegrationTest
class DatabaseWallTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource app;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @Autowired
    TenantScope scope;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice a;
    Practice b;
    String appointmentOfA;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        a = fixtures.practice("masseur-kinesitherapeute");
        b = fixtures.practice("masseur-kinesitherapeute");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("wall-" + UUID.randomUUID() + "@test.creneau.fr");
        appointmentOfA = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", a.practitionerId(),
                                "siteId", a.siteId(),
                                "motiveId", a.motiveId(),
                                "start", "2027-01-05T08:00:00Z"))
                .text("id");
        assertThat(appointmentOfA).isNotNull();
    }

    @Test
    void theApplicationRoleOwnsNoTableAndIsNoSuperuser() {
        JdbcTemplate jdbc = new JdbcTemplate(app);
        assertThat(jdbc.queryForObject(
                        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user", Boolean.class))
                .isFalse();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
                        Long.class))
                .isZero();
    }

    @Test
    void withNoOrganizationSetTenantTablesReturnNoRow() {
        JdbcTemplate jdbc = new JdbcTemplate(app);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM appointment", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM absence", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM patient", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM account", Long.class))
                .isZero();
        assertThat(new JdbcTemplate(owner).queryForObject("SELECT count(*) FROM appointment", Long.class))
                .isPositive();
    }

    @Test
    void anOrganizationSeesItsOwnAppointmentsAndNotAnothers() {
        String sql = "SELECT count(*) FROM appointment WHERE id = ?::uuid";
        long seenByA = scope.read(
                new Caller.System(a.organizationId()),
                () -> new JdbcTemplate(app).queryForObject(sql, Long.class, appointmentOfA));
        // No WHERE organization_id here: the database adds it.
        long seenByB = scope.read(
                new Caller.System(b.organizationId()),
                () -> new JdbcTemplate(app).queryForObject(sql, Long.class, appointmentOfA));
        assertThat(seenByA).isEqualTo(1);
        assertThat(seenByB).isZero();
    }

    @Test
    void anOrganizationCannotWriteIntoAnothersAgenda() {
        int changed = scope.write(
                new Caller.System(b.organizationId()),
                () -> new JdbcTemplate(app)
                        .update("UPDATE practitioner SET last_name = 'Pirate' WHERE id = ?", a.practitionerId()));
        assertThat(changed).isZero();
        assertThatThrownBy(() -> scope.write(
                        new Caller.System(b.organizationId()),
                        () -> new JdbcTemplate(app)
                                .update(
                                        "INSERT INTO absence (id, organization_id, practitioner_id, period) VALUES (?, ?, ?,"
                                                + " tstzrange('2027-01-05T00:00Z', '2027-01-06T00:00Z'))",
                                        UUID.randomUUID(),
                                        a.organizationId(),
                                        a.practitionerId())))
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("row-level security");
        assertThat(new JdbcTemplate(owner)
                        .queryForObject(
                                "SELECT last_name FROM practitioner WHERE id = ?", String.class, a.practitionerId()))
                .isNotEqualTo("Pirate");
    }

    @Test
    void updatesAcrossOrganizationsTouchNoRow() {
        int changed = scope.write(
                new Caller.System(b.organizationId()),
                () -> new JdbcTemplate(app)
                        .update(
                                "UPDATE appointment SET status = 'CANCELLED', cancel_reason = 'x' WHERE id = ?::uuid",
                                appointmentOfA));
        assertThat(changed).isZero();
    }

    @Test
    void theDatabaseRefusesTwoLiveAppointmentsOverlappingOnOneAgenda() {
        JdbcTemplate ownerJdbc = new JdbcTemplate(owner);
        Map<String, Object> existing =
                ownerJdbc.queryForMap("SELECT * FROM appointment WHERE id = ?::uuid", appointmentOfA);
        Instant start = ((Timestamp) existing.get("start_at")).toInstant().plusSeconds(600);
        assertThatThrownBy(() -> ownerJdbc.update(
                        """
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                               patient_id, booked_by_account_id, start_at, end_at, status, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'BOOKED', now(), now())
                        """,
                        UUID.randomUUID(),
                        existing.get("organization_id"),
                        existing.get("practitioner_id"),
                        existing.get("site_id"),
                        existing.get("motive_id"),
                        existing.get("specialty_code"),
                        existing.get("patient_id"),
                        existing.get("booked_by_account_id"),
                        Timestamp.from(start),
                        Timestamp.from(start.plusSeconds(1800))))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("appointment_no_overlap");
    }

    @Test
    void busyTimeIsTheOnlyCrossOrganizationReadAndCarriesNoPatient() {
        JdbcTemplate jdbc = new JdbcTemplate(app);
        var rows = jdbc.queryForList(
                "SELECT * FROM busy_periods(ARRAY[?::uuid], '2027-01-04T00:00Z', '2027-01-11T00:00Z', '2027-01-04T06:00Z', NULL)",
                a.practitionerId().toString());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).keySet()).containsExactlyInAnyOrder("practitioner_id", "start_at", "end_at");
        assertThatThrownBy(() -> jdbc.queryForList(
                        "SELECT * FROM busy_periods(ARRAY[?::uuid], '2027-01-01T00:00Z', '2027-06-01T00:00Z', now(), NULL)",
                        a.practitionerId().toString()))
                .hasMessageContaining("window too long");
    }
}
