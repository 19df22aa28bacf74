package org.creneau.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every staff route of the application (taken from its handler mappings, so a new route cannot be
 * forgotten), tried on organization A's objects by users of organization B (a secretary with full
 * rights on B's own agenda, and B's admin) and by a user of A without rights on A's agenda. A route
 * on one of A's objects answers 404 to each, the same as for an object that does not exist; a
 * route on the caller's own organization (lists, creations, settings) answers without naming
 * anything of A. Nothing of A changes.
 */
@IntegrationTest
class StaffIsolationMatrixTests {

    private static final String STAFF = "/api/v1/staff";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    /** Who may reach a route: its expected answer to the outsiders. */
    enum Reach {
        /** One of A's agendas or objects on it: 404 to B's users and to A's user without rights. */
        AGENDA,
        /** An admin route on one of A's objects: 404 to B's admin and to every non-admin. */
        ADMIN,
        /** Acts on the caller's own organization: any answer below 500 that names nothing of A. */
        OWN_ORGANIZATION
    }

    record Route(String method, String template, String path, Object body, Reach reach) {
        String key() {
            return method + " " + template;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** "METHOD /api/v1/staff/..." for every handler mapping of the staff API. */
    private Set<String> staffRoutesOfTheApplication() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods()
                .keySet()
                .forEach(info -> info.getPatternValues().stream()
                        .filter(pattern -> pattern.startsWith(STAFF))
                        .forEach(pattern -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> routes.add(method.name() + " " + pattern))));
        return routes;
    }

    @Test
    void usersOfAnotherOrganizationAndUsersWithoutRightsGet404OnEveryStaffRoute() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice a = fixtures.practice("dermatologue");
        Practice b = fixtures.practice("dermatologue");
        GrantedApp app = GrantedApp.on(port, clock, fixtures, a, List.of("system/Appointment.rs"));
        String grantId = app.grantId();
        // A's admin signed in for the grant: the next sign-in needs the next code.
        clock.advance(Duration.ofSeconds(30));
        ApiClient deskA = login(a.staffEmail());
        ApiClient adminA = login(a.adminEmail());
        Instant tuesday9 = BookingApiTests.TUESDAY_9;

        String agendaTemplate = STAFF + "/agendas/{practitionerId}";
        String agenda = STAFF + "/agendas/" + a.practitionerId();
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
        String invitationId = adminA.post(
                        STAFF + "/invitations",
                        Map.of("email", "invited-" + UUID.randomUUID() + "@test.creneau.fr", "role", "SECRETARY"))
                .text("id");
        assertThat(invitationId).isNotNull();
        Map<String, Object> motiveBody =
                Map.of("label", "Piratage", "durationMinutes", 30, "onlineBookable", true, "newPatientsAllowed", true);
        String later = tuesday9.plus(Duration.ofHours(2)).toString();
        String appointmentPath = STAFF + "/appointments/" + appointmentId;
        String grants = STAFF + "/connected-app-grants";

        List<Route> routes = List.of(
                new Route("GET", agendaTemplate + "/appointments", agenda + "/appointments", null, Reach.AGENDA),
                new Route(
                        "POST",
                        agendaTemplate + "/appointments",
                        agenda + "/appointments",
                        Map.of(
                                "motiveId",
                                a.motiveId(),
                                "siteId",
                                a.siteId(),
                                "start",
                                later,
                                "orgPatientId",
                                orgPatientId),
                        Reach.AGENDA),
                new Route("GET", agendaTemplate + "/waitlist", agenda + "/waitlist", null, Reach.AGENDA),
                new Route("GET", STAFF + "/appointments/{id}", appointmentPath, null, Reach.AGENDA),
                new Route(
                        "POST",
                        STAFF + "/appointments/{id}/move",
                        appointmentPath + "/move",
                        Map.of("start", later),
                        Reach.AGENDA),
                new Route(
                        "POST",
                        STAFF + "/appointments/{id}/cancel",
                        appointmentPath + "/cancel",
                        Map.of("reason", "x"),
                        Reach.AGENDA),
                new Route(
                        "POST", STAFF + "/appointments/{id}/arrived", appointmentPath + "/arrived", null, Reach.AGENDA),
                new Route("POST", STAFF + "/appointments/{id}/seen", appointmentPath + "/seen", null, Reach.AGENDA),
                new Route(
                        "POST", STAFF + "/appointments/{id}/no-show", appointmentPath + "/no-show", null, Reach.AGENDA),
                new Route("GET", agendaTemplate + "/motives", agenda + "/motives", null, Reach.AGENDA),
                new Route("POST", agendaTemplate + "/motives", agenda + "/motives", motiveBody, Reach.AGENDA),
                new Route(
                        "PUT",
                        agendaTemplate + "/motives/{motiveId}",
                        agenda + "/motives/" + a.motiveId(),
                        motiveBody,
                        Reach.AGENDA),
                new Route("GET", agendaTemplate + "/opening-ranges", agenda + "/opening-ranges", null, Reach.AGENDA),
                new Route(
                        "POST",
                        agendaTemplate + "/opening-ranges",
                        agenda + "/opening-ranges",
                        Map.of(
                                "siteId", a.siteId(),
                                "weekday", "SUNDAY",
                                "start", "09:00",
                                "end", "10:00",
                                "validFrom", "2027-01-01",
                                "motiveIds", List.of(a.motiveId())),
                        Reach.AGENDA),
                new Route(
                        "DELETE",
                        agendaTemplate + "/opening-ranges/{rangeId}",
                        agenda + "/opening-ranges/" + rangeId,
                        null,
                        Reach.AGENDA),
                new Route("GET", agendaTemplate + "/absences", agenda + "/absences", null, Reach.AGENDA),
                new Route(
                        "GET",
                        agendaTemplate + "/absences/preview",
                        agenda + "/absences/preview?from=2027-01-05T00:00:00Z&to=2027-01-06T00:00:00Z",
                        null,
                        Reach.AGENDA),
                new Route(
                        "POST",
                        agendaTemplate + "/absences",
                        agenda + "/absences",
                        Map.of("from", "2027-01-05T00:00:00Z", "to", "2027-01-06T00:00:00Z"),
                        Reach.AGENDA),
                new Route(
                        "DELETE",
                        agendaTemplate + "/absences/{absenceId}",
                        agenda + "/absences/" + absenceId,
                        null,
                        Reach.AGENDA),
                new Route(
                        "PUT",
                        agendaTemplate + "/rules",
                        agenda + "/rules",
                        Map.of("minNoticeMinutes", 0, "horizonDays", 700, "cancellationCutoffHours", 0),
                        Reach.AGENDA),
                new Route("GET", STAFF + "/patients/{id}", STAFF + "/patients/" + orgPatientId, null, Reach.AGENDA),
                new Route(
                        "POST",
                        STAFF + "/patients/{id}/lift-online-booking-block",
                        STAFF + "/patients/" + orgPatientId + "/lift-online-booking-block",
                        null,
                        Reach.AGENDA),
                new Route("GET", agendaTemplate + "/rights", agenda + "/rights", null, Reach.ADMIN),
                new Route(
                        "PUT",
                        agendaTemplate + "/rights/{accountId}",
                        agenda + "/rights/" + memberId,
                        Map.of("viewAppointments", false, "manageAppointments", false, "manageSettings", false),
                        Reach.ADMIN),
                new Route("DELETE", STAFF + "/members/{accountId}", STAFF + "/members/" + memberId, null, Reach.ADMIN),
                new Route(
                        "PUT",
                        STAFF + "/members/{accountId}/disabled",
                        STAFF + "/members/" + memberId + "/disabled",
                        Map.of("disabled", true),
                        Reach.ADMIN),
                new Route(
                        "POST", grants + "/{grantId}/suspend", grants + "/" + grantId + "/suspend", null, Reach.ADMIN),
                new Route("POST", grants + "/{grantId}/resume", grants + "/" + grantId + "/resume", null, Reach.ADMIN),
                new Route("POST", grants + "/{grantId}/revoke", grants + "/" + grantId + "/revoke", null, Reach.ADMIN),
                new Route(
                        "PUT",
                        grants + "/{grantId}/limits",
                        grants + "/" + grantId + "/limits",
                        Map.of("patientsPerHour", 1),
                        Reach.ADMIN),
                new Route("GET", STAFF + "/members", STAFF + "/members", null, Reach.OWN_ORGANIZATION),
                new Route(
                        "DELETE",
                        STAFF + "/invitations/{id}",
                        STAFF + "/invitations/" + invitationId,
                        null,
                        Reach.ADMIN),
                new Route("GET", STAFF + "/invitations", STAFF + "/invitations", null, Reach.OWN_ORGANIZATION),
                new Route(
                        "POST",
                        STAFF + "/invitations",
                        STAFF + "/invitations",
                        Map.of("email", "not-an-address", "role", "SECRETARY"),
                        Reach.OWN_ORGANIZATION),
                new Route(
                        "POST",
                        STAFF + "/members",
                        STAFF + "/members",
                        Map.of(
                                "email",
                                "invite-" + UUID.randomUUID() + "@test.creneau.fr",
                                "phone",
                                "+33 1 44 00 00 00",
                                "password",
                                Fixtures.PASSWORD,
                                "role",
                                "SECRETARY"),
                        Reach.OWN_ORGANIZATION),
                new Route(
                        "PUT",
                        STAFF + "/organization/settings",
                        STAFF + "/organization/settings",
                        Map.of("noShowBlockThreshold", 1),
                        Reach.OWN_ORGANIZATION),
                new Route(
                        "GET",
                        STAFF + "/organization/settings/reminders",
                        STAFF + "/organization/settings/reminders",
                        null,
                        Reach.OWN_ORGANIZATION),
                new Route(
                        "PUT",
                        STAFF + "/organization/settings/reminders",
                        STAFF + "/organization/settings/reminders",
                        Map.of("email", List.of("48h"), "sms", List.of("24h")),
                        Reach.OWN_ORGANIZATION),
                new Route("GET", STAFF + "/patients", STAFF + "/patients?name=isol", null, Reach.OWN_ORGANIZATION),
                new Route(
                        "POST",
                        STAFF + "/patients",
                        STAFF + "/patients",
                        Map.of(
                                "firstName", "Autre",
                                "lastName", "Isolé",
                                "birthDate", "1970-01-01",
                                "phone", "+33 6 11 11 11 11"),
                        Reach.OWN_ORGANIZATION),
                new Route("GET", grants, grants, null, Reach.OWN_ORGANIZATION),
                new Route(
                        "POST",
                        grants,
                        grants,
                        Map.of("clientId", app.clientId(), "scopes", List.of("system/Appointment.rs")),
                        Reach.OWN_ORGANIZATION),
                new Route("GET", STAFF + "/guard-alerts", STAFF + "/guard-alerts", null, Reach.OWN_ORGANIZATION),
                new Route(
                        "GET",
                        STAFF + "/contained-accounts",
                        STAFF + "/contained-accounts",
                        null,
                        Reach.OWN_ORGANIZATION),
                new Route(
                        "POST",
                        STAFF + "/contained-accounts/{accountId}/lift",
                        STAFF + "/contained-accounts/" + memberId + "/lift",
                        null,
                        Reach.ADMIN));

        Map<String, Route> byKey = new LinkedHashMap<>();
        routes.forEach(r -> byKey.put(r.key(), r));
        assertThat(byKey.keySet())
                .as("the matrix covers exactly the staff routes of the application: add a new route here")
                .containsExactlyInAnyOrderElementsOf(staffRoutesOfTheApplication());

        List<String> secretsOfA = List.of(
                a.organizationId().toString(),
                a.practitionerId().toString(),
                appointmentId,
                orgPatientId,
                rangeId,
                absenceId,
                memberId,
                grantId,
                "Secret");
        ApiClient deskB = login(b.staffEmail());
        ApiClient adminB = login(b.adminEmail());
        ApiClient withoutRightsA = login(a.noRightsEmail());
        List<String> failures = new ArrayList<>();
        for (Route route : routes) {
            List<ApiClient> outsiders = switch (route.reach()) {
                case AGENDA -> List.of(deskB, withoutRightsA);
                case ADMIN -> List.of(adminB, deskB, withoutRightsA);
                case OWN_ORGANIZATION -> List.of(adminB, deskB);
            };
            for (ApiClient user : outsiders) {
                Response answer = user.withBody(route.method(), route.path(), route.body());
                String body = answer.raw().body();
                boolean isolated = switch (route.reach()) {
                    case AGENDA, ADMIN -> answer.status() == 404;
                    case OWN_ORGANIZATION ->
                        answer.status() < 500 && secretsOfA.stream().noneMatch(body::contains);
                };
                if (!isolated) {
                    failures.add(route + " -> " + answer.status() + " " + body);
                }
            }
        }
        assertThat(failures).as("routes that reached or named A's data").isEmpty();

        Response still = deskA.get(appointmentPath);
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
        assertThat(adminA.get(grants)
                        .body()
                        .path("items")
                        .valueStream()
                        .filter(g -> g.path("id").asString().equals(grantId))
                        .map(g -> g.path("status").asString()))
                .as("A's grant is still active")
                .containsExactly("ACTIVE");
        assertThat(deskA.get(STAFF + "/agendas/" + a.practitionerId() + "/appointments?from=2027-01-05&to=2027-01-06")
                        .body()
                        .path("page")
                        .path("totalItems")
                        .asLong())
                .isEqualTo(1);
        assertThat(deskA.get(STAFF + "/patients?name=isol").body().path("items").size())
                .as("A's file holds only A's patient")
                .isEqualTo(1);
        assertThat(deskA.get(STAFF + "/patients/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    /** "METHOD /cabinet..." for every handler mapping of the practice workspace's pages. */
    private Set<String> workspaceRoutesOfTheApplication() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods()
                .keySet()
                .forEach(info -> info.getPatternValues().stream()
                        .filter(pattern -> pattern.equals(CABINET) || pattern.startsWith(CABINET + "/"))
                        .forEach(pattern -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> routes.add(method.name() + " " + pattern))));
        return routes;
    }

    private static final String CABINET = "/cabinet";

    /** A workspace page: GET as a browser opens it, POST as its form sends it (CSRF included). */
    record Page(String method, String template, String path, Map<String, String> form, Reach reach) {
        String key() {
            return method + " " + template;
        }

        Response tryAs(ApiClient user) {
            return method.equals("GET") ? user.get(path) : user.postForm(path, form);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void usersOfAnotherOrganizationAndUsersWithoutRightsGet404OnEveryWorkspacePage() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice a = fixtures.practice("dermatologue");
        Practice b = fixtures.practice("dermatologue");
        ApiClient deskA = login(a.staffEmail());
        Instant tuesday9 = BookingApiTests.TUESDAY_9;
        Response appointment = deskA.post(
                STAFF + "/agendas/" + a.practitionerId() + "/appointments",
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
        String later = tuesday9.plus(Duration.ofHours(2)).toString();
        String agendaTemplate = CABINET + "/agenda/{practitionerId}";
        String agenda = CABINET + "/agenda/" + a.practitionerId();
        String appointmentTemplate = CABINET + "/rendez-vous/{id}";
        String appointmentPath = CABINET + "/rendez-vous/" + appointmentId;
        Map<String, String> slot = Map.of(
                "debut",
                later,
                "motif",
                a.motiveId().toString(),
                "site",
                a.siteId().toString());
        String slotQuery = "?debut=" + later + "&motif=" + a.motiveId() + "&site=" + a.siteId();
        Map<String, String> none = Map.of();
        String api = STAFF + "/agendas/" + a.practitionerId();
        String rangeId =
                deskA.get(api + "/opening-ranges").body().get(0).path("id").asString();
        String absenceId = deskA.post(
                        api + "/absences",
                        Map.of("from", "2027-02-01T00:00:00Z", "to", "2027-02-02T00:00:00Z", "reason", "Congé"))
                .text("id");
        String settingsTemplate = agendaTemplate + "/reglages";
        String settings = agenda + "/reglages";
        Map<String, String> motive = Map.of("label", "Piratage", "durationMinutes", "30");
        Map<String, String> absence = Map.of("from", "2027-01-05T00:00", "to", "2027-01-06T00:00");
        String memberTemplate = CABINET + "/equipe/{accountId}";
        String memberOfA = CABINET + "/equipe/" + a.staffAccountId();
        clock.advance(Duration.ofSeconds(30));
        String invitationOfA = login(a.adminEmail())
                .post(
                        STAFF + "/invitations",
                        Map.of("email", "invited-" + UUID.randomUUID() + "@test.creneau.fr", "role", "SECRETARY"))
                .text("id");
        assertThat(invitationOfA).isNotNull();
        // A's admin signs in again below: the next sign-in needs the next code.
        clock.advance(Duration.ofSeconds(30));

        List<Page> pages = new ArrayList<>(List.of(
                new Page("GET", CABINET, CABINET, none, Reach.OWN_ORGANIZATION),
                new Page("GET", CABINET + "/journee", CABINET + "/journee", none, Reach.OWN_ORGANIZATION),
                new Page(
                        "GET",
                        CABINET + "/journee/actualiser",
                        CABINET + "/journee/actualiser",
                        none,
                        Reach.OWN_ORGANIZATION),
                new Page("GET", agendaTemplate, agenda + "?vue=semaine", none, Reach.AGENDA),
                new Page("GET", agendaTemplate + "/actualiser", agenda + "/actualiser", none, Reach.AGENDA),
                new Page(
                        "GET",
                        agendaTemplate + "/reserver",
                        agenda + "/reserver" + slotQuery + "&recherche=isol",
                        none,
                        Reach.AGENDA),
                new Page(
                        "POST",
                        agendaTemplate + "/reserver",
                        agenda + "/reserver",
                        withEntry(slot, "patient", orgPatientId),
                        Reach.AGENDA),
                new Page("GET", appointmentTemplate, appointmentPath, none, Reach.AGENDA),
                new Page("POST", appointmentTemplate + "/arrive", appointmentPath + "/arrive", none, Reach.AGENDA),
                new Page("POST", appointmentTemplate + "/vu", appointmentPath + "/vu", none, Reach.AGENDA),
                new Page("POST", appointmentTemplate + "/non-venu", appointmentPath + "/non-venu", none, Reach.AGENDA),
                new Page(
                        "POST",
                        appointmentTemplate + "/annuler",
                        appointmentPath + "/annuler",
                        Map.of("reason", "x"),
                        Reach.AGENDA),
                new Page(
                        "POST", appointmentTemplate + "/debloquer", appointmentPath + "/debloquer", none, Reach.AGENDA),
                new Page("GET", appointmentTemplate + "/deplacer", appointmentPath + "/deplacer", none, Reach.AGENDA),
                new Page(
                        "POST",
                        appointmentTemplate + "/deplacer",
                        appointmentPath + "/deplacer",
                        Map.of("debut", later),
                        Reach.AGENDA),
                // Agenda settings, waiting list, patient file.
                new Page("GET", settingsTemplate, settings, none, Reach.AGENDA),
                new Page(
                        "POST",
                        settingsTemplate + "/regles",
                        settings + "/regles",
                        Map.of("minNoticeMinutes", "0", "horizonDays", "700", "cancellationCutoffHours", "0"),
                        Reach.AGENDA),
                new Page("POST", settingsTemplate + "/motifs", settings + "/motifs", motive, Reach.AGENDA),
                new Page(
                        "GET",
                        settingsTemplate + "/motifs/{motiveId}",
                        settings + "/motifs/" + a.motiveId(),
                        none,
                        Reach.AGENDA),
                new Page(
                        "POST",
                        settingsTemplate + "/motifs/{motiveId}",
                        settings + "/motifs/" + a.motiveId(),
                        motive,
                        Reach.AGENDA),
                new Page(
                        "POST",
                        settingsTemplate + "/plages",
                        settings + "/plages",
                        Map.of(
                                "siteId", a.siteId().toString(),
                                "weekday", "SUNDAY",
                                "start", "09:00",
                                "end", "10:00",
                                "validFrom", "2027-01-01",
                                "motiveIds", a.motiveId().toString()),
                        Reach.AGENDA),
                new Page(
                        "POST",
                        settingsTemplate + "/plages/{rangeId}/supprimer",
                        settings + "/plages/" + rangeId + "/supprimer",
                        none,
                        Reach.AGENDA),
                new Page(
                        "POST",
                        settingsTemplate + "/absences/apercu",
                        settings + "/absences/apercu",
                        absence,
                        Reach.AGENDA),
                new Page("POST", settingsTemplate + "/absences", settings + "/absences", absence, Reach.AGENDA),
                new Page(
                        "POST",
                        settingsTemplate + "/absences/{absenceId}/supprimer",
                        settings + "/absences/" + absenceId + "/supprimer",
                        none,
                        Reach.AGENDA),
                new Page("GET", agendaTemplate + "/liste-d-attente", agenda + "/liste-d-attente", none, Reach.AGENDA),
                new Page(
                        "GET",
                        CABINET + "/patients/{orgPatientId}",
                        CABINET + "/patients/" + orgPatientId,
                        none,
                        Reach.AGENDA),
                new Page("GET", CABINET + "/patients", CABINET + "/patients", none, Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        CABINET + "/patients",
                        CABINET + "/patients",
                        Map.of("name", "Iso"),
                        Reach.OWN_ORGANIZATION),
                // The team: B's admin sees B's own; A's members are out of reach.
                new Page("GET", CABINET + "/equipe", CABINET + "/equipe", none, Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        CABINET + "/equipe",
                        CABINET + "/equipe",
                        Map.of("email", "not-an-address", "phone", "+33 1 44 00 00 00", "role", "SECRETARY"),
                        Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        memberTemplate + "/droits",
                        memberOfA + "/droits",
                        Map.of("agenda-" + a.practitionerId(), "VIEW_APPOINTMENTS"),
                        Reach.ADMIN),
                new Page("POST", memberTemplate + "/desactiver", memberOfA + "/desactiver", none, Reach.ADMIN),
                new Page("POST", memberTemplate + "/reactiver", memberOfA + "/reactiver", none, Reach.ADMIN),
                new Page("POST", memberTemplate + "/retirer", memberOfA + "/retirer", none, Reach.ADMIN),
                new Page(
                        "POST",
                        CABINET + "/equipe/invitations",
                        CABINET + "/equipe/invitations",
                        Map.of("email", "not-an-address", "role", "SECRETARY"),
                        Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        CABINET + "/equipe/invitations/{id}/revoquer",
                        CABINET + "/equipe/invitations/" + invitationOfA + "/revoquer",
                        none,
                        Reach.ADMIN),
                // One's own security: last, since signing out everywhere ends the outsiders' sessions.
                new Page("GET", CABINET + "/securite", CABINET + "/securite", none, Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        CABINET + "/securite/mot-de-passe",
                        CABINET + "/securite/mot-de-passe",
                        Map.of("currentPassword", "wrong", "newPassword", "x"),
                        Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        CABINET + "/securite/codes-de-secours",
                        CABINET + "/securite/codes-de-secours",
                        Map.of("code", "000000"),
                        Reach.OWN_ORGANIZATION),
                new Page(
                        "POST",
                        CABINET + "/securite/deconnexion-partout",
                        CABINET + "/securite/deconnexion-partout",
                        none,
                        Reach.OWN_ORGANIZATION)));

        Map<String, Page> byKey = new LinkedHashMap<>();
        pages.forEach(p -> byKey.put(p.key(), p));
        assertThat(byKey.keySet())
                .as("the matrix covers exactly the workspace pages of the application: add a new page here")
                .containsExactlyInAnyOrderElementsOf(workspaceRoutesOfTheApplication());

        List<String> secretsOfA = List.of(
                a.organizationId().toString(), a.practitionerId().toString(), appointmentId, orgPatientId, "Secret");
        ApiClient deskB = login(b.staffEmail());
        ApiClient adminB = login(b.adminEmail());
        ApiClient withoutRightsA = login(a.noRightsEmail());
        assertThat(deskB.get(CABINET + "/journee?agenda=" + a.practitionerId()).status())
                .as("another organization's agenda asked for by id in the practice day")
                .isEqualTo(404);
        List<String> failures = new ArrayList<>();
        for (Page page : pages) {
            List<ApiClient> outsiders = switch (page.reach()) {
                case AGENDA -> List.of(deskB, withoutRightsA);
                case ADMIN -> List.of(adminB, deskB, withoutRightsA);
                case OWN_ORGANIZATION -> List.of(adminB, deskB, withoutRightsA);
            };
            for (ApiClient user : outsiders) {
                Response answer = page.tryAs(user);
                String body = answer.raw().body();
                boolean isolated = switch (page.reach()) {
                    // The not-found page repeats the address asked for (its language links): only what
                    // the address did not already hold would be a leak.
                    case AGENDA, ADMIN ->
                        answer.status() == 404
                                && secretsOfA.stream()
                                        .filter(secret -> !page.path().contains(secret))
                                        .noneMatch(body::contains);
                    case OWN_ORGANIZATION ->
                        answer.status() < 500 && secretsOfA.stream().noneMatch(body::contains);
                };
                if (!isolated) {
                    failures.add(page + " -> " + answer.status() + " " + body);
                }
            }
        }
        assertThat(failures).as("pages that reached or named A's data").isEmpty();

        Response still = deskA.get(STAFF + "/appointments/" + appointmentId);
        assertThat(still.text("status")).isEqualTo("BOOKED");
        assertThat(still.text("start")).isEqualTo(tuesday9.toString());
        assertThat(deskA.get(STAFF + "/agendas/" + a.practitionerId() + "/appointments?from=2027-01-05&to=2027-01-06")
                        .body()
                        .path("page")
                        .path("totalItems")
                        .asLong())
                .as("nothing was booked on A's agenda")
                .isEqualTo(1);
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
        assertThat(login(a.adminEmail())
                        .get(STAFF + "/agendas/" + a.practitionerId() + "/rights")
                        .raw()
                        .body())
                .as("A's secretary still holds her rights")
                .contains(a.staffAccountId().toString());
    }

    private static Map<String, String> withEntry(Map<String, String> form, String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(form);
        more.put(key, value);
        return more;
    }

    private ApiClient login(String email) {
        ApiClient client = new ApiClient(port, clock);
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }
}
