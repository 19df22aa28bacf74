package org.creneau.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.creneau.CreneauApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the application as the journal, apps and mix parts use it: on the embedded PostgreSQL of
 * a data directory of the part's own (the first context starts the server there, a second one finds
 * it running), with the journal's checkpoints and key beside it; and the guard's platform-wide
 * thresholds that a benchmark's load would trip, raised as configuration allows.
 */
final class BenchContexts {

    /** Above anything a run reaches; the guard's settings accept any positive value. */
    static final int RAISED = 1_000_000;

    /**
     * The {@code creneau.guard.*} thresholds raised for a load test, by property name. Left as
     * shipped: the canary (no setting) and unseen reads (the workloads read nothing by id that they
     * were not shown), and the refusals (a 404 or 403 would be a fault of the benchmark).
     */
    static final List<String> RAISED_GUARD_SETTINGS = List.of(
            "requests-per-minute-per-app",
            "requests-per-minute-per-account",
            "searches-per10-minutes",
            "search-windows-per-hour",
            "new-patients-per10-minutes",
            "patients-per-hour",
            "patients-per-day",
            "appointments-per-hour",
            "appointments-per-day");

    private BenchContexts() {}

    /** The application on the PostgreSQL of {@code dataDir}, with {@code extra} arguments. */
    static ConfigurableApplicationContext start(Path dataDir, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--creneau.demo.enabled=false",
                "--server.port=0",
                "--management.server.port=0",
                "--creneau.database.embedded.data-dir=" + dataDir.resolve("postgres"),
                "--creneau.journal.checkpoint-directory=" + dataDir.resolve("journal/checkpoints"),
                "--creneau.journal.key-directory=" + dataDir.resolve("journal/keys"),
                // The load comes from this machine, far above one address's fair share.
                "--creneau.guard.unlimited-addresses=127.0.0.1,0:0:0:0:0:0:0:1",
                "--logging.level.root=WARN"));
        args.addAll(extra);
        return new SpringApplicationBuilder(CreneauApplication.class).run(args.toArray(String[]::new));
    }

    /** The arguments that raise {@link #RAISED_GUARD_SETTINGS}. */
    static List<String> raisedGuard() {
        return RAISED_GUARD_SETTINGS.stream()
                .map(name -> "--creneau.guard." + name + "=" + RAISED)
                .toList();
    }

    static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    /** An HTTP/1.1 client: one connection at a time per client thread, as a practice's software has. */
    static HttpClient http() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** A status and body; status -1 and the exception's text when the request could not be sent. */
    record Answer(int status, String body) {}

    /** Sends a FHIR request with the bearer token; {@code json} null for a GET. */
    static Answer fhir(HttpClient http, int port, String token, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + token);
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
