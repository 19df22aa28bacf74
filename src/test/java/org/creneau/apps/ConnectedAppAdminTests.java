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

/** Only a platform admin registers, lists and suspends connected apps. */
@IntegrationTest
class ConnectedAppAdminTests {

    static final String APPS = "/api/v1/admin/connected-apps";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RecordedEvents events;

    ApiClient platform;
    SmartBackendClient keys;

    @BeforeEach
    void setUp() {
        platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        keys = new SmartBackendClient(port);
    }

    Map<String, Object> app(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("contact", "securite@editeur.example");
        body.put("jwks", keys.publicJwks());
        body.put("scopes", List.of("system/Slot.rs", "system/Appointment.rs"));
        return body;
    }

    static String firstErrorField(Response response) {
        return response.body().path("errors").path(0).path("field").asString();
    }

    @Test
    void aPlatformAdminRegistersAnAppAndGetsARandomClientId() {
        Response registered = platform.post(APPS, app("Agenda partenaire"));

        assertThat(registered.status()).isEqualTo(201);
        assertThat(UUID.fromString(registered.text("clientId"))).isNotNull();
        assertThat(registered.text("clientId")).isNotEqualTo(registered.text("id"));
        assertThat(registered.text("status")).isEqualTo("ACTIVE");
        assertThat(registered.body().path("inlineJwks").asBoolean()).isTrue();
        assertThat(registered.body().path("scopes").toString())
                .isEqualTo("[\"system/Appointment.rs\",\"system/Slot.rs\"]");
        UUID appId = UUID.fromString(registered.text("id"));
        assertThat(events.of(ConnectedAppChanged.class))
                .anySatisfy(e -> assertThat(e.appId() + " " + e.kind()).isEqualTo(appId + " REGISTERED"));
    }

    @Test
    void theListIsPagedWithAHardMaximum() {
        platform.post(APPS, app("Premier"));
        platform.post(APPS, app("Second"));

        Response page = platform.get(APPS + "?page=0&size=1");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().path("items").size()).isEqualTo(1);
        assertThat(page.body().path("page").path("totalItems").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(platform.get(APPS + "?size=51").status()).isEqualTo(400);
    }

    @Test
    void suspendingAnAppMarksItSuspendedAndAnnouncesIt() {
        String id = platform.post(APPS, app("A suspendre")).text("id");

        Response suspended = platform.post(APPS + "/" + id + "/suspend", null);

        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.text("status")).isEqualTo("SUSPENDED");
        assertThat(events.of(ConnectedAppChanged.class))
                .anySatisfy(e -> assertThat(e.appId() + " " + e.kind()).isEqualTo(id + " SUSPENDED"));
        assertThat(platform.post(APPS + "/" + UUID.randomUUID() + "/suspend", null)
                        .status())
                .isEqualTo(404);

        Response reactivated = platform.post(APPS + "/" + id + "/reactivate", null);
        assertThat(reactivated.text("status")).isEqualTo("ACTIVE");
        assertThat(events.of(ConnectedAppChanged.class).stream()
                        .filter(e -> e.appId().toString().equals(id))
                        .map(e -> e.kind().name()))
                .containsExactly("REGISTERED", "SUSPENDED", "REACTIVATED");
    }

    @Test
    void anUnknownScopeIsRefusedNamingTheField() {
        Map<String, Object> body = app("Portée inconnue");
        body.put("scopes", List.of("system/Slot.rs", "system/*.*"));

        Response refused = platform.post(APPS, body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(firstErrorField(refused)).isEqualTo("scopes");
    }

    @Test
    void keysComeFromExactlyOneSourceAndArePublic() {
        Map<String, Object> both = app("Deux sources");
        both.put("jwksUrl", "https://editeur.example/jwks.json");
        assertThat(firstErrorField(platform.post(APPS, both))).isEqualTo("jwksUrl");

        Map<String, Object> privateKey = app("Clé privée");
        privateKey.put("jwks", Map.of("keys", List.of(keys.rsa.toJSONObject())));
        Response refused = platform.post(APPS, privateKey);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(firstErrorField(refused)).isEqualTo("jwks");

        Map<String, Object> weak = app("Clé faible");
        weak.put("jwks", Map.of("keys", List.of(weakRsaKey())));
        assertThat(firstErrorField(platform.post(APPS, weak))).isEqualTo("jwks");

        Map<String, Object> plainHttp = app("HTTP");
        plainHttp.remove("jwks");
        plainHttp.put("jwksUrl", "http://editeur.example/jwks.json");
        assertThat(firstErrorField(platform.post(APPS, plainHttp))).isEqualTo("jwksUrl");
    }

    @Test
    void nobodyButAPlatformAdminMayUseTheRegistry() {
        String id = platform.post(APPS, app("Protégée")).text("id");
        Practice practice = fixtures.practice("cardiologue");
        ApiClient orgAdmin = SignIn.staff(port, practice.adminEmail());
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("patient-" + UUID.randomUUID() + "@test.creneau.fr");

        for (ApiClient other : List.of(orgAdmin, patient)) {
            assertThat(other.post(APPS, app("Intrus")).status()).isEqualTo(403);
            assertThat(other.get(APPS).status()).isEqualTo(403);
            assertThat(other.post(APPS + "/" + id + "/suspend", null).status()).isEqualTo(403);
            assertThat(other.post(APPS + "/" + id + "/reactivate", null).status())
                    .isEqualTo(403);
        }
        assertThat(new ApiClient(port).get(APPS).status()).isEqualTo(401);
        assertThat(platform.get(APPS + "?size=50").body().path("items").toString())
                .contains(id)
                .doesNotContain("Intrus");
    }

    static Map<String, Object> weakRsaKey() {
        try {
            return new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true)
                    .generate()
                    .toPublicJWK()
                    .toJSONObject();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
