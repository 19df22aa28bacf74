package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The staff isolation matrix for the settings, waiting list and patient file pages (taken from their
 * controllers' handler mappings, so that a new route cannot be forgotten), until the workspace-wide
 * matrix covers /cabinet: practice A's agenda and patient, tried by B's secretary (every right on B's
 * own agenda) and by A's member without rights, answer 404 like something missing; the file's own
 * search answers B without naming anything of A. Nothing of A changes.
 */
@IntegrationTest
class SettingsPagesIsolationTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    static final List<Class<?>> PAGES = List.of(AgendaSettingsPages.class, WaitlistPage.class, PatientFilePages.class);

    /** How a route answers outsiders. */
    enum Reach {
        /** On A's agenda or one of A's objects: 404 to B's staff and to A's member without rights. */
        AGENDA,
        /** The caller's own organization's file: 404 without any agenda, else nothing of A named. */
        OWN_ORGANIZATION
    }

    record Route(String method, String template, String path, Map<String, String> form, Reach reach) {
        String key() {
            return method + " " + template;
        }
    }

    private Set<String> routesOfThesePages() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (PAGES.contains(handler.getBeanType())) {
                info.getPatternValues()
                        .forEach(pattern -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> routes.add(method.name() + " " + pattern)));
            }
        });
        return routes;
    }

    @Test
    void anotherPracticesStaffAndAMemberWithoutRightsGet404OnEveryRouteAndChangeNothing() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice a = fixtures.practice("dermatologue");
        Practice b = fixtures.practice("dermatologue");
        ApiClient deskA = login(a.staffEmail());
        String api = "/api/v1/staff/agendas/" + a.practitionerId();
        Response booked = deskA.post(
                api + "/appointments",
                Map.of(
                        "motiveId",
                        a.motiveId(),
                        "siteId",
                        a.siteId(),
                        "start",
                        BookingApiTests.TUESDAY_9.toString(),
                        "patient",
                        Map.of(
                                "firstName", "Secret",
                                "lastName", "Isole",
                                "birthDate", "1970-01-01",
                                "phone", "+33 6 11 11 11 11")));
        String appointmentId = booked.text("id");
        String orgPatientId = booked.text("orgPatientId");
        String rangeId =
                deskA.get(api + "/opening-ranges").body().get(0).path("id").asString();
        String absenceId = deskA.post(
                        api + "/absences",
                        Map.of("from", "2027-02-01T00:00:00Z", "to", "2027-02-02T00:00:00Z", "reason", "Congé"))
                .text("id");

        String settings = "/cabinet/agenda/{practitionerId}/reglages";
        String here = "/cabinet/agenda/" + a.practitionerId() + "/reglages";
        Map<String, String> motive = Map.of("label", "Piratage", "durationMinutes", "30");
        Map<String, String> absence = Map.of("from", "2027-01-05T00:00", "to", "2027-01-06T00:00");
        List<Route> routes = List.of(
                new Route("GET", settings, here, null, Reach.AGENDA),
                new Route(
                        "POST",
                        settings + "/regles",
                        here + "/regles",
                        Map.of("minNoticeMinutes", "0", "horizonDays", "700", "cancellationCutoffHours", "0"),
                        Reach.AGENDA),
                new Route("POST", settings + "/motifs", here + "/motifs", motive, Reach.AGENDA),
                new Route("GET", settings + "/motifs/{motiveId}", here + "/motifs/" + a.motiveId(), null, Reach.AGENDA),
                new Route(
                        "POST",
                        settings + "/motifs/{motiveId}",
                        here + "/motifs/" + a.motiveId(),
                        motive,
                        Reach.AGENDA),
                new Route(
                        "POST",
                        settings + "/plages",
                        here + "/plages",
                        Map.of(
                                "siteId", a.siteId().toString(),
                                "weekday", "SUNDAY",
                                "start", "09:00",
                                "end", "10:00",
                                "validFrom", "2027-01-01",
                                "motiveIds", a.motiveId().toString()),
                        Reach.AGENDA),
                new Route(
                        "POST",
                        settings + "/plages/{rangeId}/supprimer",
                        here + "/plages/" + rangeId + "/supprimer",
                        Map.of(),
                        Reach.AGENDA),
                new Route("POST", settings + "/absences/apercu", here + "/absences/apercu", absence, Reach.AGENDA),
                new Route("POST", settings + "/absences", here + "/absences", absence, Reach.AGENDA),
                new Route(
                        "POST",
                        settings + "/absences/{absenceId}/supprimer",
                        here + "/absences/" + absenceId + "/supprimer",
                        Map.of(),
                        Reach.AGENDA),
                new Route(
                        "GET",
                        "/cabinet/agenda/{practitionerId}/liste-d-attente",
                        "/cabinet/agenda/" + a.practitionerId() + "/liste-d-attente",
                        null,
                        Reach.AGENDA),
                new Route(
                        "GET",
                        "/cabinet/patients/{orgPatientId}",
                        "/cabinet/patients/" + orgPatientId,
                        null,
                        Reach.AGENDA),
                new Route("GET", "/cabinet/patients", "/cabinet/patients", null, Reach.OWN_ORGANIZATION),
                new Route(
                        "POST",
                        "/cabinet/patients",
                        "/cabinet/patients",
                        Map.of("name", "Iso"),
                        Reach.OWN_ORGANIZATION));

        Map<String, Route> byKey = new LinkedHashMap<>();
        routes.forEach(r -> byKey.put(r.key(), r));
        assertThat(byKey.keySet())
                .as("every route of these pages is tried: add a new one here")
                .containsExactlyInAnyOrderElementsOf(routesOfThesePages());

        List<String> secretsOfA = List.of(
                a.practitionerId().toString(), appointmentId, orgPatientId, rangeId, absenceId, "Secret", "Isole");
        ApiClient deskB = login(b.staffEmail());
        ApiClient withoutRightsA = login(a.noRightsEmail());
        List<String> failures = new ArrayList<>();
        for (Route route : routes) {
            for (ApiClient user : List.of(deskB, withoutRightsA)) {
                Response answer =
                        route.form() == null ? user.get(route.path()) : user.postForm(route.path(), route.form());
                String body = answer.raw().body().replace(route.path(), "");
                boolean isolated = route.reach() == Reach.AGENDA || user == withoutRightsA
                        ? answer.status() == 404 && secretsOfA.stream().noneMatch(body::contains)
                        : answer.status() < 500 && secretsOfA.stream().noneMatch(body::contains);
                if (!isolated) {
                    failures.add(route.method() + " " + route.path() + " -> " + answer.status());
                }
            }
        }
        assertThat(failures).as("routes that reached or named A's data").isEmpty();

        assertThat(deskA.get("/api/v1/staff/appointments/" + appointmentId).text("status"))
                .isEqualTo("BOOKED");
        assertThat(deskA.get(api + "/absences")
                        .body()
                        .valueStream()
                        .map(x -> x.path("id").asString()))
                .containsExactly(absenceId);
        assertThat(deskA.get(api + "/opening-ranges")
                        .body()
                        .valueStream()
                        .map(x -> x.path("id").asString()))
                .contains(rangeId)
                .hasSize(6);
        assertThat(deskA.get(api + "/motives")
                        .body()
                        .valueStream()
                        .map(x -> x.path("label").asString()))
                .containsExactly("Consultation", "Suivi", "Urgence");
    }

    private ApiClient login(String email) {
        ApiClient client = new ApiClient(port, clock);
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }
}
