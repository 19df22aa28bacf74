package org.creneau.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.RecordedEvents;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An organization admin grants connected apps access to that organization only. */
@IntegrationTest
class AppGrantApiTests {

    static final String GRANTS = "/api/v1/staff/connected-app-grants";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RecordedEvents events;

    @Autowired
    JdbcClient jdbc;

    Practice practice;
    ApiClient orgAdmin;
    ApiClient platform;
    String appId;
    String clientId;

    @BeforeEach
    void setUp() {
        practice = fixtures.practice("ophtalmologue");
        orgAdmin = SignIn.staff(port, practice.adminEmail());
        platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        Response app = platform.post(
                "/api/v1/admin/connected-apps",
                Map.of(
                        "name",
                        "Logiciel de cabinet",
                        "contact",
                        "support@editeur.example",
                        "jwks",
                        new SmartBackendClient(port).publicJwks(),
                        "scopes",
                        List.of("system/Appointment.rs", "system/Slot.rs", "system/Practitioner.rs")));
        appId = app.text("id");
        clientId = app.text("clientId");
    }

    Map<String, Object> grant(List<String> scopes) {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", clientId);
        body.put("scopes", scopes);
        body.put("contactDetails", false);
        return body;
    }

    static String firstErrorField(Response response) {
        return response.body().path("errors").path(0).path("field").asString();
    }

    @Test
    void anOrganizationAdminGrantsAnAppAndSeesTheGrantListed() {
        Map<String, Object> body = grant(List.of("system/Slot.rs", "system/Appointment.rs"));
        body.put("practitionerIds", List.of(practice.practitionerId().toString()));

        Response granted = orgAdmin.post(GRANTS, body);

        assertThat(granted.status()).isEqualTo(201);
        assertThat(granted.text("appId")).isEqualTo(appId);
        assertThat(granted.text("status")).isEqualTo("ACTIVE");
        assertThat(granted.body().path("practitionerIds").toString())
                .contains(practice.practitionerId().toString());
        UUID grantId = UUID.fromString(granted.text("id"));
        assertThat(events.of(AppGrantChanged.class))
                .anySatisfy(e -> assertThat(e.grantId() + " " + e.organizationId() + " " + e.kind())
                        .isEqualTo(grantId + " " + practice.organizationId() + " GRANTED"));
        Response listed = orgAdmin.get(GRANTS + "?size=10");
        assertThat(listed.body().path("items").size()).isEqualTo(1);
        assertThat(listed.body().path("items").path(0).path("id").asString()).isEqualTo(grantId.toString());
        assertThat(listed.body().path("page").path("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void anAppIsGrantedByItsIdTooAndOnlyOncePerOrganization() {
        Map<String, Object> byId = grant(List.of("system/Slot.rs"));
        byId.remove("clientId");
        byId.put("appId", appId);
        assertThat(orgAdmin.post(GRANTS, byId).status()).isEqualTo(201);

        Response again = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs")));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("grant-exists");
    }

    @Test
    void scopesTheAppMayNotHoldAreRefused() {
        Response outside = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs", "system/Patient.r")));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(firstErrorField(outside)).isEqualTo("scopes");

        Response unknown = orgAdmin.post(GRANTS, grant(List.of("patient/*.read")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(firstErrorField(unknown)).isEqualTo("scopes");

        assertThat(firstErrorField(orgAdmin.post(GRANTS, grant(List.of())))).isEqualTo("scopes");
    }

    @Test
    void onlyTheOrganizationsOwnAgendasMayBeNamed() {
        Practice other = fixtures.practice("ophtalmologue");
        Map<String, Object> body = grant(List.of("system/Slot.rs"));
        body.put("practitionerIds", List.of(other.practitionerId().toString()));

        Response refused = orgAdmin.post(GRANTS, body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(firstErrorField(refused)).isEqualTo("practitionerIds");
    }

    @Test
    void anotherOrganizationsGrantAnswers404AndStaysUntouched() {
        String grantId = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs"))).text("id");
        Practice other = fixtures.practice("ophtalmologue");
        ApiClient otherAdmin = SignIn.staff(port, other.adminEmail());

        assertThat(otherAdmin.post(GRANTS + "/" + grantId + "/suspend", null).status())
                .isEqualTo(404);
        assertThat(otherAdmin.post(GRANTS + "/" + grantId + "/revoke", null).status())
                .isEqualTo(404);
        assertThat(otherAdmin.post(GRANTS + "/" + grantId + "/resume", null).status())
                .isEqualTo(404);
        assertThat(otherAdmin.get(GRANTS).body().path("items").size()).isZero();
        assertThat(orgAdmin.get(GRANTS)
                        .body()
                        .path("items")
                        .path(0)
                        .path("status")
                        .asString())
                .isEqualTo("ACTIVE");
        assertThat(orgAdmin.post(GRANTS + "/" + UUID.randomUUID() + "/suspend", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aSuspendedGrantCanBeRevokedAndARevokedOneStaysRevoked() {
        String grantId = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs"))).text("id");

        Response suspended = orgAdmin.post(GRANTS + "/" + grantId + "/suspend", null);
        assertThat(suspended.text("status")).isEqualTo("SUSPENDED");
        Response revoked = orgAdmin.post(GRANTS + "/" + grantId + "/revoke", null);
        assertThat(revoked.text("status")).isEqualTo("REVOKED");
        Response again = orgAdmin.post(GRANTS + "/" + grantId + "/suspend", null);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("grant-revoked");
        assertThat(events.of(AppGrantChanged.class).stream()
                        .filter(e -> e.grantId().toString().equals(grantId))
                        .map(e -> e.kind().name()))
                .containsExactly("GRANTED", "SUSPENDED", "REVOKED");
    }

    @Test
    void aSuspendedGrantIsResumedAndARevokedAppIsGrantedAfreshUnderANewId() {
        String grantId = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs"))).text("id");
        orgAdmin.post(GRANTS + "/" + grantId + "/suspend", null);

        Response resumed = orgAdmin.post(GRANTS + "/" + grantId + "/resume", null);
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.text("status")).isEqualTo("ACTIVE");

        orgAdmin.post(GRANTS + "/" + grantId + "/revoke", null);
        assertThat(orgAdmin.post(GRANTS + "/" + grantId + "/resume", null).text("code"))
                .isEqualTo("grant-revoked");
        Response again = orgAdmin.post(GRANTS, grant(List.of("system/Appointment.rs")));

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("id")).isNotEqualTo(grantId);
        assertThat(orgAdmin.get(GRANTS).body().path("items").findValuesAsString("status"))
                .containsExactlyInAnyOrder("REVOKED", "ACTIVE");
    }

    @Test
    void aSuspendedAppCannotBeGranted() {
        platform.post("/api/v1/admin/connected-apps/" + appId + "/suspend", null);

        Response refused = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs")));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("app-suspended");
    }

    @Test
    void staffWhoAreNotAdminsGet404AndPatientsAndPlatformAdmins403() {
        String grantId = orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs"))).text("id");
        ApiClient staff = SignIn.staff(port, practice.staffEmail());
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("patient-" + UUID.randomUUID() + "@test.creneau.fr");

        assertThat(staff.get(GRANTS).status()).isEqualTo(404);
        assertThat(staff.post(GRANTS, grant(List.of("system/Slot.rs"))).status())
                .isEqualTo(404);
        assertThat(staff.post(GRANTS + "/" + grantId + "/revoke", null).status())
                .isEqualTo(404);
        for (ApiClient outsider : List.of(patient, platform)) {
            assertThat(outsider.get(GRANTS).status()).isEqualTo(403);
            assertThat(outsider.post(GRANTS + "/" + grantId + "/revoke", null).status())
                    .isEqualTo(403);
        }
        assertThat(orgAdmin.get(GRANTS)
                        .body()
                        .path("items")
                        .path(0)
                        .path("status")
                        .asString())
                .isEqualTo("ACTIVE");
    }

    @Test
    void withNoOrganizationSetTheDatabaseShowsNoGrant() {
        orgAdmin.post(GRANTS, grant(List.of("system/Slot.rs")));

        long visible =
                jdbc.sql("SELECT count(*) FROM app_grant").query(Long.class).single();

        assertThat(visible).isZero();
    }
}
