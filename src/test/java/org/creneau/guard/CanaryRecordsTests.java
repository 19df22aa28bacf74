package org.creneau.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.guard.internal.CanaryRecords;
import org.creneau.guard.internal.CanarySeeding;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Canary records: every organization gets decoy patients and appointments that no legitimate flow
 * shows (the staff agenda, the desk's patient search, a patient's own lists, slot search), while a
 * connected app sweeping the FHIR API over their dates reaches them, and {@link CanaryRecords}
 * names them.
 */
@IntegrationTest
class CanaryRecordsTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    CanarySeeding seeding;

    @Autowired
    CanaryRecords canaries;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcTemplate db;
    Practice practice;
    ApiClient desk;

    record Decoy(UUID id, UUID patientId, Instant start, Instant end, String status, UUID practitionerId) {}

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        db = new JdbcTemplate(owner);
        practice = fixtures.practice("dermatologue");
        seeding.seed(practice.organizationId());
        desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    List<Decoy> decoys(UUID organizationId) {
        return db.query(
                "SELECT id, org_patient_id, start_at, end_at, status, practitioner_id FROM appointment"
                        + " WHERE organization_id = ? AND decoy ORDER BY start_at",
                (rs, i) -> new Decoy(
                        rs.getObject("id", UUID.class),
                        rs.getObject("org_patient_id", UUID.class),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                        rs.getString("status"),
                        rs.getObject("practitioner_id", UUID.class)),
                organizationId);
    }

    long decoyPatients(UUID organizationId) {
        return db.queryForObject(
                "SELECT count(*) FROM org_patient WHERE organization_id = ? AND decoy", Long.class, organizationId);
    }

    Decoy future() {
        return decoys(practice.organizationId()).stream()
                .filter(d -> d.start().isAfter(clock.instant()))
                .findFirst()
                .orElseThrow();
    }

    Decoy past() {
        return decoys(practice.organizationId()).stream()
                .filter(d -> d.start().isBefore(clock.instant()))
                .findFirst()
                .orElseThrow();
    }

    Response bookAtDesk(Instant start, String lastName) {
        Map<String, Object> body = new HashMap<>();
        body.put("motiveId", practice.motiveId());
        body.put("siteId", practice.siteId());
        body.put("start", start.toString());
        body.put(
                "patient",
                Map.of(
                        "firstName", "Paul",
                        "lastName", lastName,
                        "birthDate", "1961-07-14",
                        "phone", "+33 6 98 76 54 32"));
        return desk.post("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments", body);
    }

    static String day(Instant instant) {
        return LocalDate.ofInstant(instant, Fixtures.PARIS).toString();
    }

    static Instant tenOClockOf(Instant instant) {
        return LocalDate.ofInstant(instant, Fixtures.PARIS)
                .atTime(10, 0)
                .atZone(Fixtures.PARIS)
                .toInstant();
    }

    @Test
    void theSeedingPassGivesANewPracticeDecoyPatientsWithNightAppointmentsFarFromToday() {
        Practice fresh = fixtures.practice("pediatre");
        assertThat(decoys(fresh.organizationId())).isEmpty();

        assertThat(seeding.seedAll()).isGreaterThanOrEqualTo(9);

        assertThat(decoyPatients(fresh.organizationId())).isEqualTo(3);
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM org_patient WHERE organization_id = ? AND decoy"
                                + " AND account_id IS NULL AND patient_id IS NULL"
                                + " AND phone LIKE '+3363998%' AND email LIKE '%@example.org'",
                        Long.class, fresh.organizationId()))
                .isEqualTo(3);
        List<Decoy> decoys = decoys(fresh.organizationId());
        assertThat(decoys).hasSize(6);
        ZonedDateTime now = clock.instant().atZone(Fixtures.PARIS);
        for (Decoy d : decoys) {
            assertThat(d.status()).isEqualTo("BOOKED");
            assertThat(d.practitionerId()).isEqualTo(fresh.practitionerId());
            LocalTime local = d.start().atZone(Fixtures.PARIS).toLocalTime();
            assertThat(local).isBetween(LocalTime.of(2, 0), LocalTime.of(4, 45));
            boolean longPast = d.start().isAfter(now.minusMonths(30).toInstant())
                    && d.start().isBefore(now.minusMonths(13).toInstant());
            boolean farAhead = d.start().isAfter(now.plusMonths(13).toInstant())
                    && d.start().isBefore(now.plusMonths(24).toInstant());
            assertThat(longPast || farAhead)
                    .as("%s is far from today", d.start())
                    .isTrue();
        }
        assertThat(decoys).filteredOn(d -> d.start().isBefore(clock.instant())).hasSize(3);
        assertThat(decoys).extracting(Decoy::patientId).doesNotContainNull().hasSize(6);
    }

    @Test
    void seedingTwiceCreatesNoDuplicates() {
        List<Decoy> first = decoys(practice.organizationId());
        assertThat(first).hasSize(6);

        assertThat(seeding.seed(practice.organizationId())).isZero();
        seeding.seedAll();

        assertThat(decoys(practice.organizationId())).isEqualTo(first);
        assertThat(decoyPatients(practice.organizationId())).isEqualTo(3);
    }

    @Test
    void decoysThatTimeBringsWithin13MonthsOfTodayMoveFarAheadAgain() {
        Decoy ahead = future();
        clock.set(ahead.start().minus(Duration.ofDays(300)));
        ZonedDateTime now = clock.instant().atZone(Fixtures.PARIS);
        Instant nearFrom = now.minusMonths(13).toInstant();
        Instant nearTo = now.plusMonths(13).toInstant();

        assertThat(seeding.seed(practice.organizationId())).isPositive();

        List<Decoy> after = decoys(practice.organizationId());
        assertThat(after)
                .hasSize(6)
                .noneMatch(d -> d.start().isAfter(nearFrom) && d.start().isBefore(nearTo));
        Decoy moved = after.stream()
                .filter(d -> d.id().equals(ahead.id()))
                .findFirst()
                .orElseThrow();
        assertThat(moved.start()).isAfter(nearTo).isBefore(now.plusMonths(24).toInstant());
        assertThat(Duration.between(moved.start(), moved.end()))
                .isEqualTo(Duration.between(ahead.start(), ahead.end()));
    }

    @Test
    void theDemoOrganizationsGotTheirDecoysWhenTheApplicationStarted() {
        List<UUID> demo = db.queryForList(
                "SELECT id FROM organization WHERE name IN ('Centre de santé Voltaire', 'Cabinet des Chartrons')",
                UUID.class);
        assertThat(demo).hasSize(2);
        for (UUID organizationId : demo) {
            assertThat(decoyPatients(organizationId)).isEqualTo(3);
            assertThat(decoys(organizationId)).hasSize(6);
        }
    }

    @Test
    void theStaffAgendaOverADecoysDayShowsTheRealAppointmentOnly() {
        Decoy decoy = future();
        Response real = bookAtDesk(tenOClockOf(decoy.start()), "Réel");
        assertThat(real.status()).isEqualTo(201);

        Response agenda = desk.get(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from=" + day(decoy.start())
                        + "&to=" + LocalDate.parse(day(decoy.start())).plusDays(1));

        assertThat(agenda.status()).isEqualTo(200);
        assertThat(agenda.body().path("items").findValuesAsString("id")).containsExactly(real.text("id"));
        assertThat(agenda.body().path("page").path("totalItems").asLong()).isEqualTo(1);
        assertThat(desk.get("/api/v1/staff/appointments/" + decoy.id()).status())
                .isEqualTo(404);
        assertThat(desk.post("/api/v1/staff/appointments/" + decoy.id() + "/cancel", Map.of("reason", "test"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theDeskPatientSearchByADecoysNameFindsOnlyTheRealNamesake() {
        Decoy decoy = future();
        Map<String, Object> patient = db.queryForMap(
                "SELECT first_name, last_name, birth_date, phone FROM org_patient WHERE id = ?", decoy.patientId());
        String lastName = (String) patient.get("last_name");
        Response real = bookAtDesk(BookingApiTests.TUESDAY_9, lastName);
        assertThat(real.status()).isEqualTo(201);

        Response byName = desk.get("/api/v1/staff/patients?name=" + encode(lastName + " " + patient.get("first_name")));
        Response byLastName = desk.get("/api/v1/staff/patients?name=" + encode(lastName));
        Response byBirth = desk.get("/api/v1/staff/patients?birthDate=" + patient.get("birth_date"));
        Response byPhone = desk.get("/api/v1/staff/patients?phone=" + encode((String) patient.get("phone")));

        assertThat(byName.body().path("items").size()).isZero();
        assertThat(byLastName.body().path("items").findValuesAsString("lastName"))
                .containsExactly(lastName);
        assertThat(byLastName.body().path("items").findValuesAsString("id"))
                .doesNotContain(decoy.patientId().toString());
        assertThat(byBirth.body().path("items").findValuesAsString("id"))
                .doesNotContain(decoy.patientId().toString());
        assertThat(byPhone.body().path("items").size()).isZero();
        assertThat(desk.get("/api/v1/staff/patients/" + decoy.patientId()).status())
                .isEqualTo(404);
    }

    @Test
    void aPatientsOwnListsNeverShowADecoy() {
        Decoy decoy = past();
        ApiClient online = new ApiClient(port);
        online.registerAndLogin("canary-" + UUID.randomUUID() + "@test.creneau.fr");
        Response held = online.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", BookingApiTests.TUESDAY_9.toString()));
        assertThat(held.status()).isEqualTo(201);

        Response around =
                online.get("/api/v1/me/appointments?from=" + day(decoy.start().minus(Duration.ofDays(3))) + "&to="
                        + day(decoy.start().plus(Duration.ofDays(3))));
        Response mine = online.get("/api/v1/me/appointments?from=2027-01-01&to=2027-01-31");

        assertThat(around.status()).isEqualTo(200);
        assertThat(around.body().path("items").size()).isZero();
        assertThat(mine.body().path("items").findValuesAsString("id")).containsExactly(held.text("id"));
        assertThat(online.get("/api/v1/appointments/" + decoy.id()).status()).isEqualTo(404);
    }

    @Test
    void slotSearchIgnoresDecoysAndADecoyNeverBlocksARealBooking() {
        Decoy decoy = future();
        String busy = "SELECT count(*) FROM busy_periods(ARRAY[?]::uuid[], ?, ?, ?, NULL)";
        Object[] window = {
            decoy.practitionerId(),
            decoy.start().minus(Duration.ofHours(6)).atOffset(java.time.ZoneOffset.UTC),
            decoy.end().plus(Duration.ofHours(12)).atOffset(java.time.ZoneOffset.UTC),
            clock.instant().atOffset(java.time.ZoneOffset.UTC)
        };
        assertThat(db.queryForObject(busy, Long.class, window)).isZero();

        assertThat(bookAtDesk(decoy.start(), "Nocturne").status()).isEqualTo(201);
        assertThat(bookAtDesk(tenOClockOf(decoy.start()), "Matinal").status()).isEqualTo(201);

        assertThat(db.queryForObject(busy, Long.class, window)).isEqualTo(2);
        assertThat(decoys(practice.organizationId())).extracting(Decoy::id).contains(decoy.id());
    }

    @Test
    void aFhirSweepOverADecoysDatesReachesItAndIsRefusedWhileTouchedNamesOnlyTheDecoy() {
        Decoy decoy = future();
        assertThat(bookAtDesk(BookingApiTests.TUESDAY_9, "Véritable").status()).isEqualTo(201);
        Map<String, Object> real = db.queryForMap(
                "SELECT id, org_patient_id FROM appointment WHERE organization_id = ? AND NOT decoy",
                practice.organizationId());
        IGenericClient fhir = GrantedApp.on(
                        port,
                        clock,
                        fixtures,
                        practice,
                        List.of("system/Appointment.rs", "system/Appointment.cu", "system/Patient.r"))
                .fhir();

        // The narrowed search finds the decoy: the guard withholds the answer and contains the app.
        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE
                                .afterOrEquals()
                                .second(decoy.start().minus(Duration.ofDays(15)).toString()))
                        .and(Appointment.DATE
                                .before()
                                .second(decoy.start().plus(Duration.ofDays(15)).toString()))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("canary");
        assertThatThrownBy(() -> fhir.read()
                        .resource(Patient.class)
                        .withId(decoy.patientId().toString())
                        .execute())
                .isInstanceOf(AuthenticationException.class);

        UUID realAppointment = (UUID) real.get("id");
        UUID realPatient = (UUID) real.get("org_patient_id");
        assertThat(canaries.touched(
                        practice.organizationId(),
                        List.of(decoy.id(), realAppointment),
                        List.of(realPatient, decoy.patientId())))
                .isEqualTo(Set.of(decoy.id(), decoy.patientId()));
        assertThat(canaries.touched(practice.organizationId(), List.of(realAppointment), List.of(realPatient)))
                .isEmpty();
        assertThat(canaries.touched(practice.organizationId(), List.of(), List.of()))
                .isEmpty();
        assertThat(future().status()).isEqualTo("BOOKED");
    }

    @Test
    void touchedNamesNoDecoyOfAnotherOrganization() {
        Decoy decoy = future();
        Practice other = fixtures.practice("dermatologue");

        assertThat(canaries.touched(other.organizationId(), List.of(decoy.id()), List.of(decoy.patientId())))
                .isEmpty();
        assertThat(canaries.touched(practice.organizationId(), List.of(decoy.id()), List.of()))
                .containsExactly(decoy.id());
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
