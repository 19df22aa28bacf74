package org.creneau.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.guard.internal.CanaryRecords;
import org.creneau.guard.internal.CanarySeeding;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
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
 * Canary records: the seeding pass lays decoy appointments among every agenda's real past appointments,
 * in their shape, none from yesterday on; no legitimate flow shows one (the staff agenda, the desk's
 * patient search, a patient's own lists, slot search); a sweep that knows the previous version's rules
 * (daytime, within 13 months, an agenda subset) meets one within its first 100 patients, and
 * {@link CanaryRecords} names them.
 */
@IntegrationTest
class CanaryRecordsTests {

    static final int SPACING = 20;
    static final int DAYS_BACK = 70;
    static final List<LocalTime> TIMES = List.of(
            LocalTime.of(8, 30),
            LocalTime.of(9, 0),
            LocalTime.of(10, 0),
            LocalTime.of(10, 30),
            LocalTime.of(11, 30),
            LocalTime.of(14, 0),
            LocalTime.of(15, 0),
            LocalTime.of(16, 30));

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
    SecondAgenda second;
    ApiClient desk;
    Instant quietFrom;

    record Entry(
            UUID id,
            UUID patientId,
            Instant start,
            Instant end,
            String status,
            UUID practitionerId,
            UUID motiveId,
            boolean decoy) {}

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        db = new JdbcTemplate(owner);
        practice = fixtures.practice("dermatologue");
        second = fixtures.secondPractitioner(practice, true);
        LocalDate today = LocalDate.ofInstant(clock.instant(), Fixtures.PARIS);
        quietFrom = today.minusDays(1).atStartOfDay(Fixtures.PARIS).toInstant();
        history(practice.practitionerId(), practice.motiveId(), today);
        history(second.practitionerId(), second.motiveId(), today);
        seeding.seed(practice.organizationId());
        desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    /**
     * Eight appointments a weekday on the agenda, each for a new person, from {@value #DAYS_BACK} days ago
     * to the end of the week: seen, a no-show and a cancellation now and then, booked from today on.
     */
    void history(UUID practitionerId, UUID motiveId, LocalDate today) {
        int n = 0;
        for (LocalDate day = today.minusDays(DAYS_BACK); day.isBefore(today.plusDays(5)); day = day.plusDays(1)) {
            if (day.getDayOfWeek().getValue() > 5) {
                continue;
            }
            for (LocalTime time : TIMES) {
                n++;
                Instant start = day.atTime(time).atZone(Fixtures.PARIS).toInstant();
                boolean past = day.isBefore(today);
                String status = !past ? "BOOKED" : n % 13 == 0 ? "CANCELLED" : n % 17 == 0 ? "NO_SHOW" : "SEEN";
                UUID patient = UUID.randomUUID();
                db.update("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, phone,
                                                 search_name, created_at)
                        VALUES (?, ?, 'Prénom', ?, DATE '1970-01-01' + ?, '+33 6 00 00 00 00', ?, now())
                        """, patient, practice.organizationId(), "Réel" + n, n, "réel" + n + " prénom");
                db.update(
                        """
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id,
                               specialty_code, org_patient_id, start_at, end_at, status, cancel_reason, cancelled_by,
                               created_at, updated_at)
                        SELECT gen_random_uuid(), ?, ?, ?, ?, p.specialty_code, ?, ?, ?, ?, ?, ?, ?, ?
                          FROM practitioner p WHERE p.id = ?
                        """,
                        practice.organizationId(),
                        practitionerId,
                        practice.siteId(),
                        motiveId,
                        patient,
                        utc(start),
                        utc(start.plus(Duration.ofMinutes(30))),
                        status,
                        status.equals("CANCELLED") ? "Empêchement" : null,
                        status.equals("CANCELLED") ? "PATIENT" : null,
                        utc(start.minus(Duration.ofDays(10))),
                        utc(start.minus(Duration.ofDays(10))),
                        practitionerId);
            }
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    List<Entry> agenda(UUID practitionerId) {
        return db.query(
                "SELECT id, org_patient_id, start_at, end_at, status, practitioner_id, motive_id, decoy FROM appointment"
                        + " WHERE organization_id = ? AND practitioner_id = ? ORDER BY start_at, decoy",
                (rs, i) -> new Entry(
                        rs.getObject("id", UUID.class),
                        rs.getObject("org_patient_id", UUID.class),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                        rs.getString("status"),
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("motive_id", UUID.class),
                        rs.getBoolean("decoy")),
                practice.organizationId(),
                practitionerId);
    }

    List<Entry> decoys() {
        List<Entry> all = new java.util.ArrayList<>(agenda(practice.practitionerId()));
        all.addAll(agenda(second.practitionerId()));
        return all.stream().filter(Entry::decoy).toList();
    }

    long decoyPatients(UUID organizationId) {
        return db.queryForObject(
                "SELECT count(*) FROM org_patient WHERE organization_id = ? AND decoy", Long.class, organizationId);
    }

    Entry aDecoy() {
        return decoys().get(decoys().size() / 2);
    }

    static String day(Instant instant) {
        return LocalDate.ofInstant(instant, Fixtures.PARIS).toString();
    }

    @Test
    void everyAgendaGetsDecoysAmongItsPastAppointmentsInTheirShapeNoneFromYesterdayOn() {
        for (UUID agenda : List.of(practice.practitionerId(), second.practitionerId())) {
            List<Entry> entries = agenda(agenda);
            List<Entry> decoys = entries.stream().filter(Entry::decoy).toList();
            List<Entry> real = entries.stream().filter(e -> !e.decoy()).toList();
            long realPast =
                    real.stream().filter(e -> e.start().isBefore(quietFrom)).count();
            assertThat(decoys).as("decoys of agenda %s", agenda).hasSizeGreaterThanOrEqualTo((int) realPast / 21);

            int inARow = 0;
            int longest = 0;
            for (Entry e : entries) {
                if (!e.start().isBefore(quietFrom)) {
                    break;
                }
                inARow = e.decoy() ? 0 : inARow + 1;
                longest = Math.max(longest, inARow);
            }
            assertThat(longest).as("real appointments in a row without a decoy").isLessThanOrEqualTo(SPACING + 1);

            Set<String> realStatuses = new java.util.HashSet<>();
            real.forEach(e -> realStatuses.add(e.status()));
            for (Entry d : decoys) {
                assertThat(d.start()).isBefore(quietFrom);
                assertThat(d.motiveId()).isIn(practice.motiveId(), second.motiveId());
                assertThat(Duration.between(d.start(), d.end())).isEqualTo(Duration.ofMinutes(30));
                assertThat(realStatuses).contains(d.status());
                // Next to a real appointment of the same day, overlapping none that holds its time.
                assertThat(real)
                        .anyMatch(r -> r.end().equals(d.start()) || r.start().equals(d.end()));
                assertThat(real)
                        .noneMatch(r -> !r.status().equals("CANCELLED")
                                && r.start().isBefore(d.end())
                                && d.start().isBefore(r.end()));
                LocalTime local = d.start().atZone(Fixtures.PARIS).toLocalTime();
                assertThat(local).isBetween(LocalTime.of(7, 30), LocalTime.of(17, 0));
            }
        }
        assertThat(decoyPatients(practice.organizationId())).isPositive();
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM org_patient WHERE organization_id = ? AND decoy"
                                + " AND (account_id IS NOT NULL OR patient_id IS NOT NULL"
                                + " OR phone NOT LIKE '+3363998%' OR email NOT LIKE '%@example.org')",
                        Long.class, practice.organizationId()))
                .isZero();
        assertThat(decoys()).extracting(Entry::patientId).doesNotContainNull();
    }

    @Test
    void seedingAgainWritesNothingUntilTimeBringsNewPastAppointments() {
        List<Entry> first = decoys();

        assertThat(seeding.seed(practice.organizationId())).isZero();
        assertThat(decoys()).isEqualTo(first);

        clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofDays(7)));
        assertThat(seeding.seed(practice.organizationId())).isPositive();
        Instant newQuietFrom = LocalDate.ofInstant(clock.instant(), Fixtures.PARIS)
                .minusDays(1)
                .atStartOfDay(Fixtures.PARIS)
                .toInstant();
        assertThat(decoys())
                .containsAll(first)
                .anyMatch(d -> !d.start().isBefore(quietFrom))
                .allMatch(d -> d.start().isBefore(newQuietFrom));
    }

    @Test
    void theStaffAgendaOverADecoysDayShowsTheRealAppointmentsOnly() {
        Entry decoy = aDecoy();
        LocalDate day = LocalDate.parse(day(decoy.start()));
        List<String> realThatDay = agenda(decoy.practitionerId()).stream()
                .filter(e -> !e.decoy() && day(e.start()).equals(day.toString()))
                .map(e -> e.id().toString())
                .toList();

        Response agenda = desk.get("/api/v1/staff/agendas/" + decoy.practitionerId() + "/appointments?from=" + day
                + "&to=" + day.plusDays(1) + "&size=50");

        assertThat(agenda.status()).isEqualTo(200);
        assertThat(agenda.body().path("items").findValuesAsString("id"))
                .containsExactlyInAnyOrderElementsOf(realThatDay);
        assertThat(desk.get("/api/v1/staff/appointments/" + decoy.id()).status())
                .isEqualTo(404);
        assertThat(desk.post("/api/v1/staff/appointments/" + decoy.id() + "/cancel", Map.of("reason", "test"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theDeskPatientSearchNeverFindsADecoyPatient() {
        Entry decoy = aDecoy();
        Map<String, Object> patient = db.queryForMap(
                "SELECT first_name, last_name, birth_date, phone FROM org_patient WHERE id = ?", decoy.patientId());

        Response byName = desk.get("/api/v1/staff/patients?name=" + encode((String) patient.get("last_name")));
        Response byBirth = desk.get("/api/v1/staff/patients?birthDate=" + patient.get("birth_date"));
        Response byPhone = desk.get("/api/v1/staff/patients?phone=" + encode((String) patient.get("phone")));

        for (Response r : List.of(byName, byBirth, byPhone)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("items").findValuesAsString("id"))
                    .doesNotContain(decoy.patientId().toString());
        }
        assertThat(desk.get("/api/v1/staff/patients/" + decoy.patientId()).status())
                .isEqualTo(404);
    }

    @Test
    void aPatientsOwnListsNeverShowADecoy() {
        Entry decoy = aDecoy();
        ApiClient online = new ApiClient(port);
        online.registerAndLogin("canary-" + UUID.randomUUID() + "@test.creneau.fr");

        Response around =
                online.get("/api/v1/me/appointments?from=" + day(decoy.start().minus(Duration.ofDays(3))) + "&to="
                        + day(decoy.start().plus(Duration.ofDays(3))));

        assertThat(around.status()).isEqualTo(200);
        assertThat(around.body().path("items").size()).isZero();
        assertThat(online.get("/api/v1/appointments/" + decoy.id()).status()).isEqualTo(404);
    }

    @Test
    void busyTimeNeverCountsADecoy() {
        Entry decoy = aDecoy();
        String busy = "SELECT count(*) FROM busy_periods(ARRAY[?]::uuid[], ?, ?, ?, NULL)";
        Object[] window = {
            decoy.practitionerId(),
            utc(decoy.start().minus(Duration.ofMinutes(1))),
            utc(decoy.end().plus(Duration.ofMinutes(1))),
            utc(decoy.start().minus(Duration.ofDays(1)))
        };
        long realOverlapping = agenda(decoy.practitionerId()).stream()
                .filter(e -> !e.decoy() && !e.status().equals("CANCELLED"))
                .filter(e -> e.start().isBefore(decoy.end().plus(Duration.ofMinutes(1)))
                        && decoy.start().minus(Duration.ofMinutes(1)).isBefore(e.end()))
                .count();

        assertThat(db.queryForObject(busy, Long.class, window)).isEqualTo(realOverlapping);
    }

    @Test
    void aSweepThatKnowsThePreviousCanaryRulesMeetsOneWithinItsFirst100Patients() {
        // A third agenda the grant is limited to; the sweep reads its days backwards from today, in
        // daytime only, within 13 months, at a pace under every threshold (a window each 10 minutes).
        SecondAgenda third = fixtures.secondPractitioner(practice, false);
        LocalDate today = LocalDate.ofInstant(clock.instant(), Fixtures.PARIS);
        history(third.practitionerId(), third.motiveId(), today);
        seeding.seed(practice.organizationId());
        GrantedApp app =
                GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs", "system/Patient.r"));
        db.update(
                "UPDATE app_grant SET practitioner_ids = ARRAY[?]::uuid[] WHERE id = ?::uuid",
                third.practitionerId(),
                app.grantId());
        Set<String> patientsReceived = new LinkedHashSet<>();
        BaseServerResponseException stoppedBy = null;
        try {
            for (LocalDate day = today; day.isAfter(today.minusMonths(13)); day = day.minusDays(1)) {
                clock.set(clock.instant().plus(Duration.ofMinutes(10)));
                // A token of the moment, as a paced client asks for one when the last has expired.
                Bundle page = app.fhir()
                        .search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE
                                .afterOrEquals()
                                .second(day.atTime(8, 0)
                                        .atZone(Fixtures.PARIS)
                                        .toInstant()
                                        .toString()))
                        .and(Appointment.DATE
                                .before()
                                .second(day.atTime(19, 0)
                                        .atZone(Fixtures.PARIS)
                                        .toInstant()
                                        .toString()))
                        .count(50)
                        .returnBundle(Bundle.class)
                        .execute();
                for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                    for (var participant : ((Appointment) entry.getResource()).getParticipant()) {
                        String ref = participant.getActor().getReference();
                        if (ref != null && ref.startsWith("Patient/")) {
                            patientsReceived.add(ref);
                        }
                    }
                }
            }
        } catch (BaseServerResponseException e) {
            stoppedBy = e;
        }

        assertThat(stoppedBy).as("the sweep was stopped").isInstanceOf(AuthenticationException.class);
        assertThat(stoppedBy.getMessage()).contains("canary");
        assertThat(patientsReceived).as("distinct patients received").hasSizeLessThan(100);
        assertThat(app.status()).isEqualTo("SUSPENDED");
    }

    @Test
    void aFhirSearchOverADecoysDayIsRefusedWhileTouchedNamesOnlyTheDecoy() {
        Entry decoy = aDecoy();
        Entry real = agenda(decoy.practitionerId()).stream()
                .filter(e -> !e.decoy())
                .findFirst()
                .orElseThrow();
        IGenericClient fhir = GrantedApp.on(
                        port,
                        clock,
                        fixtures,
                        practice,
                        List.of("system/Appointment.rs", "system/Appointment.cu", "system/Patient.r"))
                .fhir();

        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE
                                .afterOrEquals()
                                .second(decoy.start().minus(Duration.ofHours(1)).toString()))
                        .and(Appointment.DATE
                                .before()
                                .second(decoy.start().plus(Duration.ofHours(1)).toString()))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("canary");
        assertThatThrownBy(() -> fhir.read()
                        .resource(Patient.class)
                        .withId(decoy.patientId().toString())
                        .execute())
                .isInstanceOf(AuthenticationException.class);

        assertThat(canaries.touched(
                        practice.organizationId(),
                        List.of(decoy.id(), real.id()),
                        List.of(real.patientId(), decoy.patientId())))
                .isEqualTo(Set.of(decoy.id(), decoy.patientId()));
        assertThat(canaries.touched(practice.organizationId(), List.of(real.id()), List.of(real.patientId())))
                .isEmpty();
        assertThat(canaries.touched(practice.organizationId(), List.of(), List.of()))
                .isEmpty();
    }

    @Test
    void touchedNamesNoDecoyOfAnotherOrganization() {
        Entry decoy = aDecoy();
        Practice other = fixtures.practice("dermatologue");

        assertThat(canaries.touched(other.organizationId(), List.of(decoy.id()), List.of(decoy.patientId())))
                .isEmpty();
        assertThat(canaries.touched(practice.organizationId(), List.of(decoy.id()), List.of()))
                .containsExactly(decoy.id());
    }

    @Test
    void theDemoOrganizationsGotTheirDecoysWhenTheApplicationStarted() {
        List<UUID> demo = db.queryForList(
                "SELECT id FROM organization WHERE name IN ('Centre de santé Voltaire', 'Cabinet des Chartrons')",
                UUID.class);
        assertThat(demo).hasSize(2);
        for (UUID organizationId : demo) {
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM appointment WHERE organization_id = ? AND decoy",
                            Long.class,
                            organizationId))
                    .isPositive();
        }
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
