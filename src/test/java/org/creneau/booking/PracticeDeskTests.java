package org.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.RecordedEvents;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The secretary's and practitioner's side: the agenda, phoned-in patients, what happened. */
@IntegrationTest
class PracticeDeskTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordedEvents events;

    Practice practice;
    ApiClient desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("medecin-generaliste");
        desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    ApiClient freshDesk() {
        ApiClient client = new ApiClient(port, clock);
        client.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }

    Map<String, Object> phonedPatient(String lastName) {
        return Map.of(
                "firstName", "Paul", "lastName", lastName, "birthDate", "1961-07-14", "phone", "+33 6 98 76 54 32");
    }

    Response bookAtDesk(Instant start, Map<String, Object> patient, String orgPatientId) {
        Map<String, Object> body = new HashMap<>();
        body.put("motiveId", practice.motiveId());
        body.put("siteId", practice.siteId());
        body.put("start", start.toString());
        if (patient != null) {
            body.put("patient", patient);
        }
        if (orgPatientId != null) {
            body.put("orgPatientId", orgPatientId);
        }
        return desk.post("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments", body);
    }

    String agendaPath() {
        return "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from=2027-01-05&to=2027-01-06";
    }

    @Test
    void aSecretaryBooksForAPatientWhoPhonedAndFindsThemInTheFileLater() {
        Response booked = bookAtDesk(TUESDAY_9, phonedPatient("Durand-Téléphone"), null);
        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.text("status")).isEqualTo("BOOKED");

        Response agenda = desk.get(agendaPath());
        assertThat(agenda.status()).isEqualTo(200);
        assertThat(agenda.body().path("items").get(0).path("patientLastName").asString())
                .isEqualTo("Durand-Téléphone");
        assertThat(agenda.body().path("items").get(0).path("bookedOnline").asBoolean())
                .isFalse();

        Response byName = desk.get("/api/v1/staff/patients?name=durand-t");
        assertThat(byName.body().path("items").size()).isEqualTo(1);
        String orgPatientId = byName.body().path("items").get(0).path("id").asString();
        assertThat(desk.get("/api/v1/staff/patients?phone=06%2098%2076%2054%2032")
                        .body()
                        .path("items")
                        .valueStream()
                        .map(p -> p.path("id").asString()))
                .contains(orgPatientId);
        assertThat(desk.get("/api/v1/staff/patients?birthDate=1961-07-14")
                        .body()
                        .path("items")
                        .valueStream()
                        .map(p -> p.path("id").asString()))
                .contains(orgPatientId);

        assertThat(events.of(org.creneau.patients.PatientFiled.class))
                .anySatisfy(e -> assertThat(e.orgPatientId().toString()).isEqualTo(orgPatientId));
        Response again = bookAtDesk(TUESDAY_9.plus(Duration.ofDays(7)), null, orgPatientId);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("orgPatientId")).isEqualTo(orgPatientId);
        assertThat(events.of(AppointmentEvent.class)).anySatisfy(e -> {
            assertThat(e.appointmentId().toString()).isEqualTo(booked.text("id"));
            assertThat(e.kind()).isEqualTo(AppointmentEvent.Kind.BOOKED);
            assertThat(e.byPractice()).isTrue();
            assertThat(e.actorAccountId()).isNotNull();
        });
    }

    @Test
    void searchingThePatientFileNeedsACriterionAndAnOnlinePatientAppearsInIt() {
        assertThat(desk.get("/api/v1/staff/patients").status()).isEqualTo(400);
        ApiClient online = new ApiClient(port);
        online.registerAndLogin("file-" + UUID.randomUUID() + "@test.creneau.fr");
        Response held = online.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", TUESDAY_9.toString()));
        assertThat(held.status()).isEqualTo(201);
        Response file = desk.get("/api/v1/staff/patients?name=testeuse");
        assertThat(file.body().path("items").size()).isEqualTo(1);
        assertThat(file.body().path("items").get(0).path("bookedOnline").asBoolean())
                .isTrue();
        assertThat(desk.get(agendaPath())
                        .body()
                        .path("items")
                        .get(0)
                        .path("patientFirstName")
                        .asString())
                .isEqualTo("Jeanne");
    }

    @Test
    void theDeskCannotDoubleBookNorBookIntoAnAbsenceNorIntoThePast() {
        assertThat(bookAtDesk(TUESDAY_9, phonedPatient("Premier"), null).status())
                .isEqualTo(201);
        Response twice = bookAtDesk(TUESDAY_9.plus(Duration.ofMinutes(10)), phonedPatient("Second"), null);
        assertThat(twice.status()).isEqualTo(409);
        Response past =
                bookAtDesk(TestConfiguration.MONDAY_MORNING.minus(Duration.ofDays(1)), phonedPatient("Passé"), null);
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.body().path("errors").get(0).path("field").asString()).isEqualTo("start");
        Response neither = bookAtDesk(TUESDAY_9.plus(Duration.ofHours(1)), null, null);
        assertThat(neither.status()).isEqualTo(400);
        assertThat(desk.get("/api/v1/staff/patients?name=second")
                        .body()
                        .path("items")
                        .size())
                .as("a refused booking leaves no half-written patient")
                .isZero();
    }

    @Test
    void anAbsenceCancelsTheAppointmentsItCoversEachWithAnEvent() {
        String first = bookAtDesk(TUESDAY_9, phonedPatient("Absent-Un"), null).text("id");
        String second = bookAtDesk(TUESDAY_9.plus(Duration.ofHours(1)), phonedPatient("Absent-Deux"), null)
                .text("id");
        String untouched = bookAtDesk(TUESDAY_9.plus(Duration.ofDays(1)), phonedPatient("Absent-Trois"), null)
                .text("id");

        Response absence = desk.post(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/absences",
                Map.of(
                        "from", "2027-01-05T00:00:00+01:00",
                        "to", "2027-01-06T00:00:00+01:00",
                        "reason", "Formation",
                        "patientMessage", "Merci de reprendre rendez-vous."));
        assertThat(absence.status()).isEqualTo(201);

        for (String id : List.of(first, second)) {
            Response a = desk.get("/api/v1/staff/appointments/" + id);
            assertThat(a.text("status")).isEqualTo("CANCELLED");
            assertThat(a.text("cancelReason")).isEqualTo("Le praticien est absent : Merci de reprendre rendez-vous.");
            assertThat(events.of(AppointmentEvent.class))
                    .anySatisfy(e -> assertThat(e.appointmentId().toString() + e.kind())
                            .isEqualTo(id + AppointmentEvent.Kind.CANCELLED));
        }
        assertThat(desk.get("/api/v1/staff/appointments/" + untouched).text("status"))
                .isEqualTo("BOOKED");
        assertThat(bookAtDesk(TUESDAY_9.plus(Duration.ofMinutes(30)), phonedPatient("Pendant"), null)
                        .status())
                .isEqualTo(409);
    }

    @Test
    void arrivedThenSeenAndMovingAndCancellingAtTheDesk() {
        String id = bookAtDesk(TUESDAY_9, phonedPatient("Parcours"), null).text("id");
        Response moved = desk.post(
                "/api/v1/staff/appointments/" + id + "/move",
                Map.of("start", TUESDAY_9.plus(Duration.ofHours(1)).toString()));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("start"))
                .isEqualTo(TUESDAY_9.plus(Duration.ofHours(1)).toString());

        assertThat(desk.post("/api/v1/staff/appointments/" + id + "/arrived", null)
                        .text("code"))
                .isEqualTo("not-today");
        clock.set(TUESDAY_9.plus(Duration.ofMinutes(50)));
        // A day later: sessions end 12 hours after sign-in, so the desk signs in again.
        desk = freshDesk();
        assertThat(desk.post("/api/v1/staff/appointments/" + id + "/arrived", null)
                        .text("status"))
                .isEqualTo("ARRIVED");
        assertThat(desk.post("/api/v1/staff/appointments/" + id + "/seen", null).text("status"))
                .isEqualTo("SEEN");
        assertThat(desk.post("/api/v1/staff/appointments/" + id + "/no-show", null)
                        .status())
                .isEqualTo(409);

        String other = bookAtDesk(TUESDAY_9.plus(Duration.ofDays(2)), phonedPatient("Annule"), null)
                .text("id");
        assertThat(desk.post("/api/v1/staff/appointments/" + other + "/cancel", Map.of())
                        .status())
                .isEqualTo(400);
        Response cancelled =
                desk.post("/api/v1/staff/appointments/" + other + "/cancel", Map.of("reason", "Demande du patient"));
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
    }

    @Test
    void afterNNoShowsThePracticeBlocksOnlineBookingForThatPatient() {
        ApiClient admin = new ApiClient(port, clock);
        admin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(admin.put("/api/v1/staff/organization/settings", Map.of("noShowBlockThreshold", 2))
                        .status())
                .isEqualTo(200);

        ApiClient patient = new ApiClient(port);
        String email = "noshow-" + UUID.randomUUID() + "@test.creneau.fr";
        patient.registerAndLogin(email);
        for (int week = 0; week < 2; week++) {
            Instant start = TUESDAY_9.plus(Duration.ofDays(7L * week));
            clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofDays(7L * week)));
            patient = new ApiClient(port);
            patient.login(email, Fixtures.PASSWORD);
            Response held = patient.post(
                    "/api/v1/appointments",
                    Map.of(
                            "practitionerId", practice.practitionerId(),
                            "siteId", practice.siteId(),
                            "motiveId", practice.motiveId(),
                            "start", start.toString()));
            assertThat(held.status()).as("%s", held.body()).isEqualTo(201);
            patient.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);
            clock.set(start.plus(Duration.ofMinutes(45)));
            desk = freshDesk();
            assertThat(desk.post("/api/v1/staff/appointments/" + held.text("id") + "/no-show", null)
                            .text("status"))
                    .isEqualTo("NO_SHOW");
        }
        patient = new ApiClient(port);
        patient.login(email, Fixtures.PASSWORD);
        Response blocked = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", TUESDAY_9.plus(Duration.ofDays(14)).toString()));
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.text("code")).isEqualTo("online-booking-blocked");
        assertThat(desk.get("/api/v1/staff/patients?name=testeuse")
                        .body()
                        .path("items")
                        .get(0)
                        .path("noShowCount")
                        .asInt())
                .isEqualTo(2);

        String orgPatientId = desk.get("/api/v1/staff/patients?name=testeuse")
                .body()
                .path("items")
                .get(0)
                .path("id")
                .asString();
        Response lifted = desk.post("/api/v1/staff/patients/" + orgPatientId + "/lift-online-booking-block", null);
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.body().path("onlineBookingBlocked").asBoolean()).isFalse();
        assertThat(lifted.body().path("noShowCount").asInt()).isEqualTo(2);
        Response again = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", TUESDAY_9.plus(Duration.ofDays(14)).toString()));
        assertThat(again.status()).as("%s", again.body()).isEqualTo(201);
    }
}
