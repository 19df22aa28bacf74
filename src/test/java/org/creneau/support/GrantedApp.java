package org.creneau.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.creneau.support.Fixtures.Practice;

/**
 * A connected app registered by a platform admin and granted by a practice's admin, as an
 * integrator gets it: tokens come from the real token endpoint with a signed assertion.
 */
public final class GrantedApp {

    public final SmartBackendClient keys;
    public final String clientId;
    public final String grantId;
    private ApiClient platformAdmin;
    private final String platformEmail;
    public final List<String> scopes;
    private final String adminEmail;
    private ApiClient orgAdmin;
    private final int port;
    private final Clock clock;

    private GrantedApp(
            int port,
            Clock clock,
            SmartBackendClient keys,
            String clientId,
            String grantId,
            List<String> scopes,
            String adminEmail,
            ApiClient orgAdmin,
            String platformEmail,
            ApiClient platformAdmin) {
        this.platformEmail = platformEmail;
        this.scopes = scopes;
        this.adminEmail = adminEmail;
        this.port = port;
        this.clock = clock;
        this.keys = keys;
        this.clientId = clientId;
        this.grantId = grantId;
        this.orgAdmin = orgAdmin;
        this.platformAdmin = platformAdmin;
    }

    public static GrantedApp on(int port, Clock clock, Fixtures fixtures, Practice practice, List<String> scopes) {
        String platformEmail = fixtures.platformAdmin();
        ApiClient platform = SignIn.platformAdmin(port, platformEmail);
        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        SmartBackendClient keys = new SmartBackendClient(port);
        String clientId = platform.post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel de cabinet",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                keys.publicJwks(),
                                "scopes",
                                scopes))
                .text("clientId");
        String grantId = admin.post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of("clientId", clientId, "scopes", scopes, "contactDetails", false))
                .text("id");
        return new GrantedApp(
                port, clock, keys, clientId, grantId, scopes, practice.adminEmail(), admin, platformEmail, platform);
    }

    /** The grant's id, as its organization's admin sees it. */
    public String grantId() {
        return grantId;
    }

    /** The app's client id in the registry. */
    public String clientId() {
        return clientId;
    }

    /** A fresh access token for every scope granted, asked for now (by the platform's clock). */
    public String token() {
        return keys.accessToken(clientId, clock.instant(), String.join(" ", scopes));
    }

    /** The organization's admin, signed in again when time has moved past the session's life. */
    public ApiClient orgAdmin() {
        if (orgAdmin.get("/api/v1/staff/connected-app-grants").status() == 401) {
            orgAdmin = SignIn.staff(port, adminEmail);
        }
        return orgAdmin;
    }

    /** The platform's admin, signed in again when time has moved past the session's life. */
    public ApiClient platformAdmin() {
        if (platformAdmin.get("/api/v1/admin/connected-apps").status() == 401) {
            platformAdmin = SignIn.platformAdmin(port, platformEmail);
        }
        return platformAdmin;
    }

    public IGenericClient fhir() {
        return FhirTestClient.withToken(port, token());
    }

    /** The grant's status as its organization's admin sees it. */
    public String status() {
        return orgAdmin()
                .get("/api/v1/staff/connected-app-grants")
                .body()
                .get("items")
                .valueStream()
                .filter(g -> g.get("id").asString().equals(grantId))
                .findFirst()
                .orElseThrow()
                .get("status")
                .asString();
    }
}
