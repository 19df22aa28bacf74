package org.creneau.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded PostgreSQL already running on a data directory (started by another Créneau process,
 * e.g. the server while a command runs, or left behind by a killed one): found through
 * PostgreSQL's own {@code postmaster.pid}.
 */
record RunningServer(long pid, int port) {

    static Optional<RunningServer> in(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(new RunningServer(pid, port)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the server and waits until it is gone. SIGTERM is PostgreSQL's "smart" shutdown: it
     * waits for its clients, which a killed owner no longer has, then writes a checkpoint.
     */
    void stop(Duration patience) {
        ProcessHandle.of(pid).ifPresent(postmaster -> {
            postmaster.destroy();
            try {
                postmaster.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("The embedded PostgreSQL (process " + pid + ") did not stop within "
                        + patience.toSeconds() + " s; stop it, then start again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping the embedded PostgreSQL", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Could not stop the embedded PostgreSQL (process " + pid + ")", e);
            }
        });
    }
}
