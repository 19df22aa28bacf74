package org.creneau.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The Java process that started the embedded PostgreSQL of a data directory, recorded beside it
 * ({@code data/postgres-owner.properties}) so that the next start can tell a server still in use
 * from one left behind by a killed process. The start time tells a live owner from a new process
 * that happens to reuse its pid.
 */
record ServerOwner(long pid, Instant started) {

    /** How far apart two readings of one process's start time may be (they come from clock ticks). */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    static Path fileFor(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + "-owner.properties");
    }

    static ServerOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new ServerOwner(self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
    }

    /** The recorded owner, if the file exists and reads whole. */
    static Optional<ServerOwner> recordedIn(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            return Optional.of(new ServerOwner(
                    Long.parseLong(properties.getProperty("pid")), Instant.parse(properties.getProperty("started"))));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** True while this process runs: same pid, same start time. */
    boolean isAlive() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(handle -> handle.info()
                        .startInstant()
                        .map(start -> started.equals(Instant.EPOCH)
                                || Duration.between(start, started).abs().compareTo(SAME_START) <= 0)
                        .orElse(true))
                .orElse(false);
    }

    /** Writes the file whole (aside, then renamed over the old one). */
    void writeTo(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path aside = Files.createTempFile(directory, ".owner-", ".tmp");
        try {
            Properties properties = new Properties();
            properties.setProperty("pid", Long.toString(pid));
            properties.setProperty("started", started.toString());
            try (Writer out = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
                properties.store(out, "The Java process running the embedded PostgreSQL beside this file");
            }
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** Removes the file if it still names this owner (a later owner's record stays). */
    void eraseFrom(Path file) throws IOException {
        if (recordedIn(file).filter(this::equals).isPresent()) {
            Files.deleteIfExists(file);
        }
    }

    /** Makes a new name in {@code directory} survive an operating-system crash (where the platform allows). */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some platforms cannot open a directory; the file's own content was forced already.
        }
    }
}
