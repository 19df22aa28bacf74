package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRightsChanged;
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

/** An organization admin manages that organization's staff and their rights, agenda by agenda. */
@IntegrationTest
class StaffAdministrationTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordedEvents events;

    Practice practice;
    ApiClient admin;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("pediatre");
        admin = new ApiClient(port, clock);
        admin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    Response addSecretary(String email) {
        return admin.post(
                "/api/v1/staff/members",
                Map.of(
                        "email",
                        email,
                        "phone",
                        "+33 1 44 00 00 00",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "SECRETARY"));
    }

    @Test
    void aSecretaryGainsRightsOnOneAgendaAndSeesItThenLosesThem() {
        String email = "secretaire-" + UUID.randomUUID() + "@test.creneau.fr";
        Response added = addSecretary(email);
        assertThat(added.status()).isEqualTo(201);
        String accountId = added.text("accountId");
        assertThat(events.of(org.creneau.access.StaffMembershipChanged.class))
                .anySatisfy(e -> assertThat(e.accountId() + " " + e.kind()).isEqualTo(accountId + " MEMBER_ADDED"));
        ApiClient secretary = new ApiClient(port, clock);
        secretary.enrolAndLoginStaff(email, Fixtures.PASSWORD);
        String agenda = "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments";
        assertThat(secretary.get(agenda).status()).isEqualTo(404);

        Response granted = admin.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/rights/" + accountId,
                Map.of("viewAppointments", true, "manageAppointments", false, "manageSettings", false));
        assertThat(granted.status()).isEqualTo(200);
        assertThat(secretary.get(agenda).status()).isEqualTo(200);
        assertThat(secretary
                        .get("/api/v1/staff/agendas/" + practice.practitionerId() + "/opening-ranges")
                        .status())
                .as("seeing appointments is not managing settings")
                .isEqualTo(404);
        assertThat(events.of(AgendaRightsChanged.class)).anySatisfy(e -> {
            assertThat(e.accountId().toString()).isEqualTo(accountId);
            assertThat(e.before()).isEmpty();
            assertThat(e.after()).isEqualTo(Set.of(AgendaRight.VIEW_APPOINTMENTS));
        });

        admin.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/rights/" + accountId,
                Map.of("viewAppointments", false, "manageAppointments", false, "manageSettings", false));
        assertThat(secretary.get(agenda).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/staff/members")
                        .body()
                        .path("items")
                        .valueStream()
                        .map(m -> m.path("email").asString()))
                .contains(email);
    }

    @Test
    void managingWithoutSeeingIsRefusedAndNothingChanges() {
        String accountId = addSecretary("incoherent-" + UUID.randomUUID() + "@test.creneau.fr")
                .text("accountId");
        Response refused = admin.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/rights/" + accountId,
                Map.of("viewAppointments", false, "manageAppointments", true, "manageSettings", false));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/rights")
                        .body()
                        .valueStream()
                        .map(g -> g.path("accountId").asString()))
                .doesNotContain(accountId);
    }

    @Test
    void onlyTheOrganizationsAdminManagesItsStaff() {
        ApiClient secretary = new ApiClient(port, clock);
        secretary.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(secretary.get("/api/v1/staff/members").status()).isEqualTo(404);

        Practice other = fixtures.practice("pediatre");
        ApiClient otherAdmin = new ApiClient(port, clock);
        otherAdmin.loginStaff(other.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(otherAdmin
                        .get("/api/v1/staff/agendas/" + practice.practitionerId() + "/rights")
                        .status())
                .isEqualTo(404);
        String ours =
                addSecretary("ours-" + UUID.randomUUID() + "@test.creneau.fr").text("accountId");
        assertThat(otherAdmin.delete("/api/v1/staff/members/" + ours).status()).isEqualTo(404);
        assertThat(otherAdmin
                        .get("/api/v1/staff/members")
                        .body()
                        .path("items")
                        .valueStream()
                        .map(m -> m.path("accountId").asString()))
                .doesNotContain(ours);
    }

    @Test
    void aPractitionerMemberGetsEveryRightOnTheirOwnAgenda() {
        String email = "docteur-" + UUID.randomUUID() + "@test.creneau.fr";
        Response added = admin.post(
                "/api/v1/staff/members",
                Map.of(
                        "email",
                        email,
                        "phone",
                        "+33 1 44 00 00 01",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "PRACTITIONER",
                        "practitionerId",
                        practice.practitionerId().toString()));
        assertThat(added.status()).isEqualTo(201);
        ApiClient doctor = new ApiClient(port, clock);
        doctor.enrolAndLoginStaff(email, Fixtures.PASSWORD);
        assertThat(doctor.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/opening-ranges")
                        .body()
                        .size())
                .isEqualTo(6);
        Response withoutAgenda = admin.post(
                "/api/v1/staff/members",
                Map.of(
                        "email",
                        "x-" + UUID.randomUUID() + "@test.creneau.fr",
                        "phone",
                        "+33 1 44 00 00 02",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "PRACTITIONER"));
        assertThat(withoutAgenda.status()).isEqualTo(400);
        assertThat(withoutAgenda.body().path("errors").get(0).path("field").asString())
                .isEqualTo("practitionerId");
    }
}
