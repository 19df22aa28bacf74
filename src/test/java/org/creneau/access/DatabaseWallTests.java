package org.creneau.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.guard.internal.CanarySeeding;
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
 * tests query as the application's own role, bypassing every service: the tenant wall (organization,
 * account), the grant wall (a connected app sees its grant's agendas only) and the decoy wall
 * (canary records are invisible but to an app's guarded reads and to their keeper).
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

    @Autowired
    CanarySeeding canaries;

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
    /** A connected app of its own, granted by {@code organizationId} on these agendas (null: all), as the owner writes it. */
    UUID grant(UUID organizationId, UUID[] agendas, String status) {
        JdbcTemplate ownerJdbc = new JdbcTemplate(owner);
        UUID app = UUID.randomUUID();
        ownerJdbc.update("""
                INSERT INTO connected_app (id, client_id, name, contact_email, jwks, allowed_scopes, status, created_at,
                       updated_at)
                VALUES (?, ?, 'Logiciel', 'securite@editeur.example', '{"keys": []}'::jsonb,
                        ARRAY['system/Appointment.rs'], 'ACTIVE', now(), now())
                """, app, "wall-" + app);
        UUID grant = UUID.randomUUID();
        ownerJdbc.update("""
                INSERT INTO app_grant (id, organization_id, app_id, scopes, practitioner_ids, contact_details, status,
                       created_at, updated_at)
                VALUES (?, ?, ?, ARRAY['system/Appointment.rs'], ?, false, ?, now(), now())
                """, grant, organizationId, app, agendas, status);
        return grant;
    }

    <T> List<T> asApp(UUID organizationId, UUID grantId, String sql, Class<T> type) {
        return scope.read(new Caller.App(organizationId, grantId), () -> new JdbcTemplate(app).queryForList(sql, type));
    }

    /** The decoys of {@code a}, seeded for the test: appointment ids, then patient-file ids. */
    List<List<UUID>> decoysOfA() {
        // Decoys lie among an agenda's past appointments: A's one appointment is history a week later.
        Instant now = clock.instant();
        clock.set(Instant.parse("2027-01-12T08:00:00Z"));
        try {
            canaries.seed(a.organizationId());
        } finally {
            clock.set(now);
        }
        JdbcTemplate ownerJdbc = new JdbcTemplate(owner);
        return List.of(
                ownerJdbc.queryForList(
                        "SELECT id FROM appointment WHERE organization_id = ? AND decoy",
                        UUID.class,
                        a.organizationId()),
                ownerJdbc.queryForList(
                        "SELECT id FROM org_patient WHERE organization_id = ? AND decoy",
                        UUID.class,
                        a.organizationId()));
    }

    @Test
    void aGrantNamingOtherAgendasSeesNoAppointmentPatientOrAgendaEvenWithoutAClause() {
        UUID elsewhere = grant(a.organizationId(), new UUID[] {UUID.randomUUID()}, "ACTIVE");
        decoysOfA();

        assertThat(asApp(a.organizationId(), elsewhere, "SELECT id FROM appointment", UUID.class))
                .isEmpty();
        assertThat(asApp(a.organizationId(), elsewhere, "SELECT id FROM org_patient", UUID.class))
                .isEmpty();
        assertThat(asApp(a.organizationId(), elsewhere, "SELECT id FROM practitioner", UUID.class))
                .isEmpty();
        assertThat(new JdbcTemplate(owner)
                        .queryForObject(
                                "SELECT count(*) FROM appointment WHERE organization_id = ?",
                                Long.class,
                                a.organizationId()))
                .isPositive();
    }

    @Test
    void aGrantSeesItsAgendasAppointmentsAndOnlyThePatientsTheyName() {
        UUID onAgenda = grant(a.organizationId(), new UUID[] {a.practitionerId()}, "ACTIVE");
        UUID everyAgenda = grant(a.organizationId(), null, "ACTIVE");
        UUID withoutAppointment = UUID.randomUUID();
        new JdbcTemplate(owner)
                .update(
                        "INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, search_name,"
                                + " created_at) VALUES (?, ?, 'Sans', 'Rendez-vous', '1970-01-01', 'rendez-vous sans',"
                                + " now())",
                        withoutAppointment,
                        a.organizationId());
        List<UUID> namedByAppointments = new JdbcTemplate(owner)
                .queryForList(
                        "SELECT DISTINCT org_patient_id FROM appointment WHERE organization_id = ?",
                        UUID.class,
                        a.organizationId());

        for (UUID grant : List.of(onAgenda, everyAgenda)) {
            assertThat(asApp(a.organizationId(), grant, "SELECT id::text FROM appointment", String.class))
                    .contains(appointmentOfA);
            assertThat(asApp(a.organizationId(), grant, "SELECT DISTINCT organization_id FROM appointment", UUID.class))
                    .containsExactly(a.organizationId());
            assertThat(asApp(a.organizationId(), grant, "SELECT id FROM org_patient", UUID.class))
                    .containsExactlyInAnyOrderElementsOf(namedByAppointments)
                    .doesNotContain(withoutAppointment);
            assertThat(asApp(a.organizationId(), grant, "SELECT id FROM practitioner", UUID.class))
                    .containsExactly(a.practitionerId());
        }
        assertThat(scope.read(
                        new Caller.System(a.organizationId()),
                        () -> new JdbcTemplate(app).queryForList("SELECT id FROM org_patient", UUID.class)))
                .contains(withoutAppointment);
    }

    @Test
    void aSuspendedGrantOrAnotherOrganizationsGrantOpensNothing() {
        UUID suspended = grant(a.organizationId(), null, "SUSPENDED");
        UUID ofB = grant(b.organizationId(), null, "ACTIVE");

        for (UUID grant : List.of(suspended, ofB)) {
            assertThat(asApp(a.organizationId(), grant, "SELECT id FROM appointment", UUID.class))
                    .isEmpty();
            assertThat(asApp(a.organizationId(), grant, "SELECT id FROM org_patient", UUID.class))
                    .isEmpty();
            assertThat(asApp(a.organizationId(), grant, "SELECT id FROM practitioner", UUID.class))
                    .isEmpty();
        }
    }

    @Test
    void decoysAreInvisibleToThePlatformAndStaffButMetByAGrantsGuardedRead() {
        List<List<UUID>> decoys = decoysOfA();
        assertThat(decoys.get(0)).isNotEmpty();
        assertThat(decoys.get(1)).isNotEmpty();
        UUID everyAgenda = grant(a.organizationId(), null, "ACTIVE");
        List<Caller> blind = List.of(
                new Caller.System(a.organizationId()),
                new Caller.Staff(a.staffAccountId(), a.organizationId(), StaffRole.SECRETARY, null));

        for (Caller caller : blind) {
            List<UUID> appointments = scope.read(
                    caller, () -> new JdbcTemplate(app).queryForList("SELECT id FROM appointment", UUID.class));
            List<UUID> patients = scope.read(
                    caller, () -> new JdbcTemplate(app).queryForList("SELECT id FROM org_patient", UUID.class));
            assertThat(appointments).isNotEmpty().doesNotContainAnyElementsOf(decoys.get(0));
            assertThat(patients).isNotEmpty().doesNotContainAnyElementsOf(decoys.get(1));
        }
        // The trap: an app sweeping its grant's agendas meets them, and the guard withholds the answer.
        assertThat(asApp(a.organizationId(), everyAgenda, "SELECT id FROM appointment", UUID.class))
                .containsAll(decoys.get(0));
        assertThat(asApp(a.organizationId(), everyAgenda, "SELECT id FROM org_patient", UUID.class))
                .containsAll(decoys.get(1));
    }

    @Test
    void onlyTheKeeperWritesADecoy() {
        List<List<UUID>> decoys = decoysOfA();
        Caller platform = new Caller.System(a.organizationId());

        int moved = scope.write(
                platform,
                () -> new JdbcTemplate(app)
                        .update(
                                "UPDATE appointment SET updated_at = now() WHERE id = ?",
                                decoys.get(0).get(0)));
        assertThat(moved).isZero();
        assertThatThrownBy(() -> scope.write(
                        platform,
                        () -> new JdbcTemplate(app)
                                .update(
                                        "INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date,"
                                                + " search_name, created_at, decoy) VALUES (?, ?, 'Faux', 'Leurre',"
                                                + " '1970-01-01', 'leurre faux', now(), true)",
                                        UUID.randomUUID(),
                                        a.organizationId())))
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("row-level security");
        int kept = scope.write(
                new Caller.CanaryKeeper(a.organizationId()),
                () -> new JdbcTemplate(app)
                        .update(
                                "UPDATE appointment SET updated_at = now() WHERE id = ?",
                                decoys.get(0).get(0)));
        assertThat(kept).isEqualTo(1);
    }

    @Test
    void theGuardsCheckNamesTheCanariesAmongTheIdsItIsGivenAndNothingElse() {
        List<List<UUID>> decoys = decoysOfA();
        UUID decoy = decoys.get(0).get(0);
        UUID decoyPatient = decoys.get(1).get(0);
        UUID real = UUID.fromString(appointmentOfA);
        UUID realPatient = new JdbcTemplate(owner)
                .queryForObject("SELECT org_patient_id FROM appointment WHERE id = ?", UUID.class, real);
        String check = "SELECT id FROM canaries_among(?, ?)";
        JdbcTemplate jdbc = new JdbcTemplate(app);

        List<UUID> ofA = scope.read(
                new Caller.System(a.organizationId()),
                () -> jdbc.queryForList(
                        check, UUID.class, new UUID[] {decoy, real}, new UUID[] {realPatient, decoyPatient}));
        List<UUID> ofB = scope.read(
                new Caller.System(b.organizationId()),
                () -> jdbc.queryForList(check, UUID.class, new UUID[] {decoy}, new UUID[] {decoyPatient}));
        List<UUID> ofNobody = jdbc.queryForList(check, UUID.class, new UUID[] {decoy}, new UUID[] {decoyPatient});
        List<UUID> nothingAsked = scope.read(
                new Caller.System(a.organizationId()),
                () -> jdbc.queryForList(check, UUID.class, new UUID[0], new UUID[0]));

        assertThat(ofA).containsExactlyInAnyOrder(decoy, decoyPatient);
        assertThat(ofB).isEmpty();
        assertThat(ofNobody).isEmpty();
        assertThat(nothingAsked).isEmpty();
    }

    @Test
    void theAppointmentSearchOfAGrantStillUsesAnIndexOnItsWindow() {
        UUID onAgenda = grant(a.organizationId(), new UUID[] {a.practitionerId()}, "ACTIVE");
        // The FHIR search's shape; with sequential scans off, a plan without the index would say so.
        String plan = String.join("\n", scope.read(new Caller.App(a.organizationId(), onAgenda), () -> {
            JdbcTemplate jdbc = new JdbcTemplate(app);
            jdbc.execute("SET LOCAL enable_seqscan = off");
            return jdbc.queryForList("""
                            EXPLAIN SELECT a.id, a.start_at FROM appointment a
                             WHERE a.status <> 'EXPIRED'
                               AND a.start_at >= '2027-01-04T00:00Z' AND a.start_at < '2027-01-11T00:00Z'
                             ORDER BY a.start_at, a.id LIMIT 51
                            """, String.class);
        }));

        assertThat(plan).containsPattern("Index Cond: \\(.*start_at").doesNotContain("Seq Scan");
    }

    @Test
    void everySecurityDefinerFunctionSearchesTheTemporarySchemaLast() {
        List<String> functions = new JdbcTemplate(owner).queryForList("""
                        SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname = 'public' AND p.prosecdef
                          AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=public, pg_temp']
                        """, String.class);
        assertThat(functions)
                .as("security-definer functions without pg_temp last")
                .isEmpty();
        assertThat(new JdbcTemplate(owner)
                        .queryForObject(
                                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                                        + " WHERE n.nspname = 'public' AND p.prosecdef",
                                Long.class))
                .isGreaterThan(5);
    }

    @Test
    void theApplicationRoleCannotCreateATemporaryTable() {
        assertThatThrownBy(() -> new JdbcTemplate(app).execute("CREATE TEMPORARY TABLE shadow (id int)"))
                .rootCause()
                .hasMessageContaining("permission denied to create temporary tables");
    }
}
