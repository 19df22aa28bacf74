package org.creneau.platform;

import java.nio.file.Path;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Refuses to start a second application on a data directory whose embedded PostgreSQL belongs to
 * a Créneau process that is still running: two servers never share one database by accident.
 */
class EmbeddedServerInUse extends IllegalStateException {

    EmbeddedServerInUse(Path dataDirectory, long ownerPid, RunningServer server) {
        super("The embedded PostgreSQL of " + dataDirectory + " (port " + server.port()
                + ") belongs to the Créneau process " + ownerPid
                + ", still running: stop it first, or start this one with its own creneau.database.embedded.data-dir");
    }

    /** Prints the one line above instead of a stack trace when the application cannot start. */
    static class Analyzer extends AbstractFailureAnalyzer<EmbeddedServerInUse> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedServerInUse cause) {
            return new FailureAnalysis(
                    cause.getMessage(),
                    "Stop the other Créneau process, or give this one another data directory.",
                    cause);
        }
    }
}
