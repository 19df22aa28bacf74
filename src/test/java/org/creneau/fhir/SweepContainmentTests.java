package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The 2020 incident, replayed: a connected app with a valid grant on a practice of 5,000 patients
 * sweeps its appointments and patients as fast as it can, and is contained; a legitimate sync with
 * the same grant, all week long, never is.
 */
@IntegrationTest
class SweepContainmentTests {

    static final int PATIENTS = 5_000;
    static final int PER_DAY = 20;
    static final int DAYS = 2 * PATIENTS / PER_DAY;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;
    GrantedApp app;
    Instant monday;

    @BeforeEach
    void setUp() {
        monday = ZonedDateTime.of(LocalDate.of(2027, 1, 4), LocalTime.of(8, 0), Fixtures.PARIS)
                .toInstant();
        clock.set(monday);
        practice = fixtures.practice("medecin-generaliste");
        seed(practice);
        app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs", "system/Patient.r"));
    }

    @Test
    void aCompromisedAppSweepingAppointmentsAndPatientsIsContainedBefore200Patients() {
        IGenericClient fhir = app.fhir();
        Set<String> patientsReceived = new LinkedHashSet<>();
        long started = System.nanoTime();
        BaseServerResponseException stoppedBy = null;
        LocalDate day = LocalDate.of(2027, 1, 4);
        try {
            for (int window = 0; window < DAYS / 2; window++, day = day.minusDays(2)) {
                Bundle page = fhir.search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE
                                .afterOrEquals()
                                .day(day.minusDays(1).toString()))
                        .and(Appointment.DATE.before().day(day.plusDays(1).toString()))
                        .count(50)
                        .returnBundle(Bundle.class)
                        .execute();
                for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                    for (var participant : ((Appointment) entry.getResource()).getParticipant()) {
                        String ref = participant.getActor().getReference();
                        if (ref.startsWith("Patient/")) {
                            patientsReceived.add(ref.substring("Patient/".length()));
                            Patient patient = fhir.read()
                                    .resource(Patient.class)
                                    .withId(ref)
                                    .execute();
                            assertThat(patient.getNameFirstRep().getFamily()).startsWith("Nom");
                        }
                    }
                }
            }
        } catch (BaseServerResponseException e) {
            stoppedBy = e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(stoppedBy).as("the sweep was stopped").isInstanceOf(AuthenticationException.class);
        assertThat(patientsReceived).as("distinct patients the app received").hasSizeBetween(1, 199);
        assertThat(took).isLessThan(Duration.ofSeconds(60));
        assertThat(app.status()).isEqualTo("SUSPENDED");
        assertThat(app.orgAdmin()
                        .get("/api/v1/staff/guard-alerts")
                        .body()
                        .get(0)
                        .get("signal")
                        .asString())
                .isEqualTo("VELOCITY");
        // A token issued now opens nothing either, until an admin resumes the grant.
        assertThat(app.keys
                        .requestToken(
                                app.keys.sign(
                                        app.keys
                                                .claims(app.clientId, clock.instant())
                                                .build(),
                                        app.keys.rsa),
                                "system/Appointment.rs")
                        .status())
                .isEqualTo(400);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Patient.class)
                        .withId(patientsReceived.iterator().next())
                        .execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void aLegitimateSyncOfTodayAndTomorrowEveryFiveMinutesForAWeekIsNeverSuspended() {
        assertThat(app.orgAdmin()
                        .put(
                                "/api/v1/staff/connected-app-grants/" + app.grantId + "/limits",
                                Map.of("allowedFrom", "07:30", "allowedTo", "19:30", "timeZone", "Europe/Paris"))
                        .status())
                .isEqualTo(200);
        int syncs = 0;
        for (int weekday = 0; weekday < 5; weekday++) {
            LocalDate date = LocalDate.of(2027, 1, 4).plusDays(weekday);
            for (LocalTime time = LocalTime.of(8, 0); time.isBefore(LocalTime.of(19, 0)); time = time.plusMinutes(5)) {
                clock.set(ZonedDateTime.of(date, time, Fixtures.PARIS).toInstant());
                Bundle found = app.fhir()
                        .search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE.afterOrEquals().second(midnight(date)))
                        .and(Appointment.DATE.before().second(midnight(date.plusDays(2))))
                        .returnBundle(Bundle.class)
                        .execute();
                assertThat(found.getEntry()).as("sync at %s %s", date, time).hasSize(2 * PER_DAY);
                syncs++;
            }
        }
        assertThat(syncs).isEqualTo(5 * 132);
        assertThat(app.status()).isEqualTo("ACTIVE");
        assertThat(app.orgAdmin().get("/api/v1/staff/guard-alerts").body()).isEmpty();
    }

    private static String midnight(LocalDate date) {
        return date.atStartOfDay(Fixtures.PARIS).toInstant().toString();
    }

    /**
     * 5,000 patients in the practice's file and two appointments each, 20 a day from 08:00 to 18:00
     * (Paris), half in the past and half to come: written directly, as a practice's history would be.
     */
    private void seed(Practice p) {
        JdbcClient db = JdbcClient.create(owner);
        db.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, search_name, created_at)
                        SELECT gen_random_uuid(), :org, 'Prenom' || i, 'Nom' || i, DATE '1950-01-01' + i, 'nom' || i,
                               now()
                          FROM generate_series(1, :n) AS i
                        """).param("org", p.organizationId()).param("n", PATIENTS).update();
        db.sql("""
                        WITH numbered AS (
                            SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM org_patient WHERE organization_id = :org),
                        slots AS (
                            SELECT n, (DATE '2027-01-04' + (n / :perDay - :days / 2) + TIME '08:00' + (n % :perDay) * INTERVAL '30 minutes')
                                          AT TIME ZONE 'Europe/Paris' AS start_at
                              FROM generate_series(0, :total - 1) AS n)
                        INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                                                 org_patient_id, start_at, end_at, status, created_at, updated_at)
                        SELECT gen_random_uuid(), :org, :practitioner, :site, :motive, pr.specialty_code, numbered.id,
                               slots.start_at, slots.start_at + INTERVAL '30 minutes', 'BOOKED', now(), now()
                          FROM slots JOIN numbered ON numbered.rn = slots.n % :patients
                          JOIN practitioner pr ON pr.id = :practitioner
                        """)
                .param("org", p.organizationId())
                .param("practitioner", p.practitionerId())
                .param("site", p.siteId())
                .param("motive", p.motiveId())
                .param("perDay", PER_DAY)
                .param("days", DAYS)
                .param("total", DAYS * PER_DAY)
                .param("patients", PATIENTS)
                .update();
    }
}
