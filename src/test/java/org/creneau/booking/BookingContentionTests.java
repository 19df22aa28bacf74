package org.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many bookings racing for overlapping times of one agenda, through every way of booking (a
 * patient's hold, the practice's desk, a patient's reschedule, a connected app's FHIR create):
 * each loser is told 409, never 500, the winners never overlap, and no requested time is lost
 * because every racer for it failed.
 */
@IntegrationTest
class BookingContentionTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;
    static final Duration HALF_HOUR = Duration.ofMinutes(30);
    static final Duration QUARTER = Duration.ofMinutes(15);
    static final FhirContext FHIR = FhirContext.forR4Cached();

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
    ApiClient desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("cardiologue");
        desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    /** One racing request: what it asked for, and what it was answered. */
    record Attempt(String via, Instant start, Duration length) {
        Instant end() {
            return start.plus(length);
        }
    }

    record Outcome(Attempt attempt, int status, String body) {}

    @Test
    void sixtyFourPatientsAndAppsRacingForOverlappingTimesGetOnly201Or409AndNeverOverlap() throws Exception {
        // 16 patients hold once each on the motive's half-hour grid (9:00 to 10:30, four per slot).
        // Twelve clients of three connected apps each book four times in a row, the same times in the
        // same order as practice software replaying a day does, ten minutes apart from one client to
        // the next (10:15, 10:25, 10:35, then half an hour later...): every time overlaps others, the
        // first overlaps the patients' last slot, and the clients that lose a time race again
        // together for the next.
        List<Callable<List<Outcome>>> racers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ApiClient patient = new ApiClient(port);
            patient.registerAndLogin("contention-" + UUID.randomUUID() + "@test.creneau.fr");
            Attempt attempt = new Attempt("hold", TUESDAY_9.plus(HALF_HOUR.multipliedBy(i % 4)), HALF_HOUR);
            racers.add(() -> {
                ApiClient.Response r = patient.post("/api/v1/appointments", slot(attempt.start()));
                return List.of(new Outcome(attempt, r.status(), String.valueOf(r.body())));
            });
        }
        List<String> filed = orgPatients(4);
        for (int a = 0; a < 3; a++) {
            // The practice's admin grants each app, and a second-factor code is good for one sign-in.
            clock.advance(Duration.ofSeconds(30));
            GrantedApp app = GrantedApp.on(
                    port, clock, fixtures, practice, List.of("system/Appointment.rs", "system/Appointment.cu"));
            for (int c = 0; c < 4; c++) {
                IGenericClient fhir = app.fhir();
                String patient = filed.get(c);
                Duration offset = Duration.ofMinutes(10L * (c % 3));
                racers.add(() -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int k = 0; k < 4; k++) {
                        Instant start = TUESDAY_9
                                .plus(Duration.ofMinutes(75))
                                .plus(HALF_HOUR.multipliedBy(k))
                                .plus(offset);
                        outcomes.add(fhirCreate(fhir, new Attempt("fhir", start, HALF_HOUR), patient));
                    }
                    return outcomes;
                });
            }
        }

        List<Outcome> outcomes = race(racers);

        assertThat(outcomes).hasSize(64);
        assertOnlyWinnersAndConflicts(outcomes, 201);
        assertNoTimeLostAndNoOverlap(outcomes);
    }

    @Test
    void deskBookingsAndReschedulesRacingForOverlappingTimesGetOnly2xxOr409AndNeverOverlap() throws Exception {
        // 16 patients each hold a time later in the week, then all move to Tuesday's half-hours while
        // the desk books 16 phoned-in patients at the quarters in between.
        List<Callable<List<Outcome>>> racers = new ArrayList<>();
        Instant wednesday9 = TUESDAY_9.plus(Duration.ofDays(1));
        for (int i = 0; i < 16; i++) {
            ApiClient patient = new ApiClient(port);
            patient.registerAndLogin("contention-" + UUID.randomUUID() + "@test.creneau.fr");
            Instant held = wednesday9.plus(Duration.ofDays(i / 6)).plus(HALF_HOUR.multipliedBy(i % 6));
            ApiClient.Response hold = patient.post("/api/v1/appointments", slot(held));
            assertThat(hold.status()).as("hold %s: %s", held, hold.body()).isEqualTo(201);
            String id = hold.text("id");
            Attempt attempt = new Attempt("reschedule", TUESDAY_9.plus(HALF_HOUR.multipliedBy(i % 4)), HALF_HOUR);
            racers.add(() -> {
                ApiClient.Response r = patient.post(
                        "/api/v1/appointments/" + id + "/reschedule",
                        Map.of("start", attempt.start().toString()));
                return List.of(new Outcome(attempt, r.status(), String.valueOf(r.body())));
            });
        }
        for (int i = 0; i < 16; i++) {
            Attempt attempt =
                    new Attempt("desk", TUESDAY_9.plus(QUARTER).plus(HALF_HOUR.multipliedBy(i % 4)), HALF_HOUR);
            String lastName = "Appelant" + i;
            racers.add(() -> {
                ApiClient.Response r = desk.post(
                        "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments",
                        Map.of(
                                "motiveId", practice.motiveId(),
                                "siteId", practice.siteId(),
                                "start", attempt.start().toString(),
                                "patient",
                                        Map.of(
                                                "firstName", "Paul",
                                                "lastName", lastName,
                                                "birthDate", "1961-07-14",
                                                "phone", "+33 6 98 76 54 32")));
                return List.of(new Outcome(attempt, r.status(), String.valueOf(r.body())));
            });
        }

        List<Outcome> outcomes = race(racers);

        assertOnlyWinnersAndConflicts(outcomes, 200, 201);
        assertNoTimeLostAndNoOverlap(outcomes);
    }

    private Map<String, Object> slot(Instant start) {
        Map<String, Object> body = new HashMap<>();
        body.put("practitionerId", practice.practitionerId());
        body.put("siteId", practice.siteId());
        body.put("motiveId", practice.motiveId());
        body.put("start", start.toString());
        return body;
    }

    /** Patients of the practice's file, as the desk creates them for phoned-in people. */
    private List<String> orgPatients(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ApiClient.Response created = desk.post(
                    "/api/v1/staff/patients",
                    Map.of(
                            "firstName", "Hugo",
                            "lastName", "Parlefil" + i,
                            "birthDate", "1979-03-03",
                            "phone", "+33 6 22 33 44 55"));
            assertThat(created.status())
                    .as("file a patient: %s", created.body())
                    .isEqualTo(201);
            ids.add(created.text("id"));
        }
        return ids;
    }

    private Outcome fhirCreate(IGenericClient fhir, Attempt attempt, String orgPatientId) {
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.setStart(Date.from(attempt.start()));
        // The practice software's own id for the booking, as integrators send it to retry safely.
        a.addIdentifier()
                .setSystem("urn:example:pms")
                .setValue(UUID.randomUUID().toString());
        a.addParticipant().setActor(new Reference("Practitioner/" + practice.practitionerId()));
        a.addParticipant().setActor(new Reference("Location/" + practice.siteId()));
        a.addParticipant().setActor(new Reference("Patient/" + orgPatientId));
        a.addParticipant().setActor(new Reference("HealthcareService/" + practice.motiveId()));
        try {
            boolean created =
                    Boolean.TRUE.equals(fhir.create().resource(a).execute().getCreated());
            return new Outcome(attempt, created ? 201 : 200, "");
        } catch (BaseServerResponseException e) {
            String body = e.getOperationOutcome() != null
                    ? FHIR.newJsonParser().encodeResourceToString(e.getOperationOutcome())
                    : e.getResponseBody();
            return new Outcome(attempt, e.getStatusCode(), String.valueOf(body));
        }
    }

    /** Starts every racer at once and waits for all their answers. */
    private static List<Outcome> race(List<Callable<List<Outcome>>> racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (Callable<List<Outcome>> racer : racers) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return racer.call();
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<List<Outcome>> future : futures) {
                outcomes.addAll(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertOnlyWinnersAndConflicts(List<Outcome> outcomes, Integer... success) {
        List<Integer> allowed = new ArrayList<>(List.of(success));
        allowed.add(409);
        List<Outcome> others =
                outcomes.stream().filter(o -> !allowed.contains(o.status())).toList();
        Map<Integer, Long> counts =
                outcomes.stream().collect(Collectors.groupingBy(Outcome::status, Collectors.counting()));
        assertThat(others)
                .as(
                        "answers by status %s; other than %s:%n%s",
                        counts,
                        allowed,
                        others.stream()
                                .map(o -> o.attempt().via() + " " + o.attempt().start() + " -> " + o.status() + " "
                                        + o.body())
                                .collect(Collectors.joining("\n")))
                .isEmpty();
    }

    /**
     * The live appointments of the agenda on Tuesday (where every racer aimed) never overlap, each is
     * one winner's, and every time asked for is taken by someone: a time that every racer lost while
     * nothing took it would be a 409 that lies.
     */
    private void assertNoTimeLostAndNoOverlap(List<Outcome> outcomes) {
        record Live(Instant start, Instant end) {
            boolean overlaps(Instant from, Instant to) {
                return start.isBefore(to) && from.isBefore(end);
            }
        }
        List<Live> live = new JdbcTemplate(owner)
                .query(
                        "SELECT start_at, end_at FROM appointment WHERE practitioner_id = ? AND NOT decoy"
                                + " AND status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW')"
                                + " AND start_at >= ? AND start_at < ? ORDER BY start_at",
                        (rs, i) -> new Live(
                                rs.getTimestamp("start_at").toInstant(),
                                rs.getTimestamp("end_at").toInstant()),
                        practice.practitionerId(),
                        Timestamp.from(TUESDAY_9),
                        Timestamp.from(TUESDAY_9.plus(Duration.ofHours(10))));
        for (int i = 1; i < live.size(); i++) {
            assertThat(live.get(i).start())
                    .as("live appointments overlap: %s", live)
                    .isAfterOrEqualTo(live.get(i - 1).end());
        }
        long winners = outcomes.stream().filter(o -> o.status() / 100 == 2).count();
        assertThat(live).as("one live appointment per winner").hasSize((int) winners);
        for (Outcome o : outcomes) {
            assertThat(live.stream()
                            .anyMatch(l ->
                                    l.overlaps(o.attempt().start(), o.attempt().end())))
                    .as(
                            "%s at %s was lost by every racer, yet nothing took it: %s",
                            o.attempt().via(), o.attempt().start(), live)
                    .isTrue();
        }
    }
}
