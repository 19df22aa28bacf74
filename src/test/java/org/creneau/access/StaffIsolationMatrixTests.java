package org.creneau.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every staff route, tried on organization A's objects by a user of organization B (with full
 * rights on B's own agenda, or B's admin) and by a user of A without rights on A's agenda: each
 * answer is 404, the same as for an object that does not exist, and nothing of A changes.
 */
@IntegrationTest
class StaffIsolationMatrixTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    record Route(String method, String path, Object body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void usersOfAnotherOrganizationAndUsersWithoutRightsGet404OnEveryStaffRoute() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice a = fixtures.practice("dermatologue");
        Practice b = fixtures.practice("dermatologue");
        ApiClient deskA = login(a.staffEmail());
        ApiClient adminA = login(a.adminEmail());
        Instant tuesday9 = BookingApiTests.TUESDAY_9;

        String agenda = "/api/v1/staff/agendas/" + a.practitionerId();
        Response appointment = deskA.post(
                agenda + "/appointments",
                Map.of(
                        "motiveId",
                        a.motiveId(),
                        "siteId",
                        a.siteId(),
                        "start",
                        tuesday9.toString(),
                        "patient",
                        Map.of(
                                "firstName", "Secret",
                                "lastName", "Isolé",
                                "birthDate", "1970-01-01",
                                "phone", "+33 6 11 11 11 11")));
        assertThat(appointment.status()).isEqualTo(201);
        String appointmentId = appointment.text("id");
        String orgPatientId = appointment.text("orgPatientId");
        String rangeId =
                deskA.get(agenda + "/opening-ranges").body().get(0).path("id").asString();
        String absenceId = deskA.post(
                        agenda + "/absences",
                        Map.of("from", "2027-02-01T00:00:00Z", "to", "2027-02-02T00:00:00Z", "reason", "Congé"))
                .text("id");
        String memberId = a.staffAccountId().toString();
        Map<String, Object> motiveBody =
                Map.of("label", "Piratage", "durationMinutes", 30, "onlineBookable", true, "newPatientsAllowed", true);
        String later = tuesday9.plus(Duration.ofHours(2)).toString();

        List<Route> agendaRoutes = List.of(
                new Route("GET", agenda + "/appointments", null),
                new Route(
                        "POST",
                        agenda + "/appointments",
                        Map.of(
                                "motiveId",
                                a.motiveId(),
                                "siteId",
                                a.siteId(),
                                "start",
                                later,
                                "orgPatientId",
                                orgPatientId)),
                new Route("GET", agenda + "/waitlist", null),
                new Route("GET", "/api/v1/staff/appointments/" + appointmentId, null),
                new Route("POST", "/api/v1/staff/appointments/" + appointmentId + "/move", Map.of("start", later)),
                new Route("POST", "/api/v1/staff/appointments/" + appointmentId + "/cancel", Map.of("reason", "x")),
                new Route("POST", "/api/v1/staff/appointments/" + appointmentId + "/arrived", null),
                new Route("POST", "/api/v1/staff/appointments/" + appointmentId + "/seen", null),
                new Route("POST", "/api/v1/staff/appointments/" + appointmentId + "/no-show", null),
                new Route("GET", agenda + "/motives", null),
                new Route("POST", agenda + "/motives", motiveBody),
                new Route("PUT", agenda + "/motives/" + a.motiveId(), motiveBody),
                new Route("GET", agenda + "/opening-ranges", null),
                new Route(
                        "POST",
                        agenda + "/opening-ranges",
                        Map.of(
                                "siteId", a.siteId(),
                                "weekday", "SUNDAY",
                                "start", "09:00",
                                "end", "10:00",
                                "validFrom", "2027-01-01",
                                "motiveIds", List.of(a.motiveId()))),
                new Route("DELETE", agenda + "/opening-ranges/" + rangeId, null),
                new Route("GET", agenda + "/absences", null),
                new Route(
                        "POST",
                        agenda + "/absences",
                        Map.of("from", "2027-01-05T00:00:00Z", "to", "2027-01-06T00:00:00Z")),
                new Route("DELETE", agenda + "/absences/" + absenceId, null),
                new Route(
                        "PUT",
                        agenda + "/rules",
                        Map.of("minNoticeMinutes", 0, "horizonDays", 700, "cancellationCutoffHours", 0)),
                new Route("GET", "/api/v1/staff/patients/" + orgPatientId, null));
        List<Route> adminRoutes = List.of(
                new Route("GET", agenda + "/rights", null),
                new Route(
                        "PUT",
                        agenda + "/rights/" + memberId,
                        Map.of("viewAppointments", false, "manageAppointments", false, "manageSettings", false)),
                new Route("DELETE", "/api/v1/staff/members/" + memberId, null));

        ApiClient deskB = login(b.staffEmail());
        ApiClient adminB = login(b.adminEmail());
        ApiClient withoutRightsA = login(a.noRightsEmail());
        for (ApiClient user : List.of(deskB, withoutRightsA)) {
            for (Route route : agendaRoutes) {
                assertThat(user.withBody(route.method(), route.path(), route.body())
                                .status())
                        .as("%s", route)
                        .isEqualTo(404);
            }
        }
        for (ApiClient user : List.of(adminB, withoutRightsA, deskB)) {
            for (Route route : adminRoutes) {
                assertThat(user.withBody(route.method(), route.path(), route.body())
                                .status())
                        .as("%s", route)
                        .isEqualTo(404);
            }
        }
        assertThat(deskB.get("/api/v1/staff/patients?name=isol")
                        .body()
                        .path("items")
                        .size())
                .as("B's file search shows nothing of A's")
                .isZero();

        Response still = deskA.get("/api/v1/staff/appointments/" + appointmentId);
        assertThat(still.text("status")).isEqualTo("BOOKED");
        assertThat(still.text("start")).isEqualTo(tuesday9.toString());
        assertThat(deskA.get(agenda + "/motives")
                        .body()
                        .valueStream()
                        .map(m -> m.path("label").asString()))
                .doesNotContain("Piratage");
        assertThat(deskA.get(agenda + "/opening-ranges")
                        .body()
                        .valueStream()
                        .map(r -> r.path("id").asString()))
                .contains(rangeId);
        assertThat(deskA.get(agenda + "/absences")
                        .body()
                        .valueStream()
                        .map(r -> r.path("id").asString()))
                .containsExactly(absenceId);
        assertThat(adminA.get(agenda + "/rights")
                        .body()
                        .valueStream()
                        .map(g -> g.path("accountId").asString()))
                .contains(memberId);
        assertThat(deskA.get("/api/v1/staff/agendas/" + a.practitionerId()
                                + "/appointments?from=2027-01-05&to=2027-01-06")
                        .body()
                        .path("page")
                        .path("totalItems")
                        .asLong())
                .isEqualTo(1);
        assertThat(deskA.get("/api/v1/staff/patients/" + UUID.randomUUID()).status())
                .isEqualTo(404);
    }

    private ApiClient login(String email) {
        ApiClient client = new ApiClient(port, clock);
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }
}
