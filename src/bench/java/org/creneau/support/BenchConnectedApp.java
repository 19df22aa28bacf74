package org.creneau.support;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connected app registered by a platform admin and granted by a practice's admin through the
 * JSON API, as {@link GrantedApp} does for the tests but with staff clients the benchmark signed in
 * by the application's real clock; its tokens come from the token endpoint of whichever running
 * context is asked, each with a freshly signed assertion ({@link SmartBackendClient}).
 */
public final class BenchConnectedApp {

    private final SmartBackendClient keys;
    private final int port;
    private final Clock clock;
    private final String clientId;
    private final String grantId;
    private final List<String> scopes;
    private final Map<Integer, SmartBackendClient> endpoints = new HashMap<>();

    private BenchConnectedApp(
            SmartBackendClient keys, int port, Clock clock, String clientId, String grantId, List<String> scopes) {
        this.keys = keys;
        this.port = port;
        this.clock = clock;
        this.clientId = clientId;
        this.grantId = grantId;
        this.scopes = scopes;
    }

    /** Registers an app named {@code name} with {@code scopes} on the context at {@code port} and grants them. */
    public static BenchConnectedApp register(
            int port, Clock clock, ApiClient platformAdmin, ApiClient orgAdmin, String name, List<String> scopes) {
        SmartBackendClient keys = new SmartBackendClient(port);
        ApiClient.Response registered = platformAdmin.post(
                "/api/v1/admin/connected-apps",
                Map.of(
                        "name",
                        name,
                        "contact",
                        "securite@editeur.example",
                        "jwks",
                        keys.publicJwks(),
                        "scopes",
                        scopes));
        if (registered.status() != 201) {
            throw new IllegalStateException("app not registered: HTTP " + registered.status());
        }
        String clientId = registered.text("clientId");
        ApiClient.Response granted = orgAdmin.post(
                "/api/v1/staff/connected-app-grants",
                Map.of("clientId", clientId, "scopes", scopes, "contactDetails", false));
        if (granted.status() != 201) {
            throw new IllegalStateException("app not granted: HTTP " + granted.status());
        }
        return new BenchConnectedApp(keys, port, clock, clientId, granted.text("id"), scopes);
    }

    public String grantId() {
        return grantId;
    }

    /** A new access token for every scope granted, from the token endpoint of the context at {@code port}. */
    public synchronized String token(int contextPort) {
        SmartBackendClient endpoint =
                contextPort == port ? keys : endpoints.computeIfAbsent(contextPort, SmartBackendClient::new);
        SmartBackendClient.Token token = endpoint.requestToken(
                keys.sign(endpoint.claims(clientId, clock.instant()).build(), keys.rsa), String.join(" ", scopes));
        if (token.accessToken() == null) {
            throw new IllegalStateException(
                    "no token from port " + contextPort + ": HTTP " + token.status() + " " + token.error());
        }
        return token.accessToken();
    }
}
