package org.creneau.journal.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Signed checkpoints of the chain's end, at a configurable interval: one row in the database and
 * one file in the checkpoint directory, outside it. Rewriting the whole chain after a checkpoint
 * cannot reproduce the signed hash without the key.
 */
@Component
public class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final Path directory;
    private final SigningKey key;
    /** One signer at a time in this process: the scheduled checkpoint and the freezes of containments. */
    private final ReentrantLock signing = new ReentrantLock();

    /**
     * Reads or creates the signing key now, once, before anything can be signed: a key made lazily by
     * whichever threads came first was how a checkpoint got signed with a key then thrown away.
     * Public so that a verifier of other directories (a test, a tool) can build its own.
     */
    public Checkpoints(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            @Value("${creneau.journal.checkpoint-directory:data/journal/checkpoints}") String directory,
            @Value("${creneau.journal.key-directory:data/keys}") String keyDirectory) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.directory = Path.of(directory).toAbsolutePath();
        this.key = SigningKey.loadOrCreate(Path.of(keyDirectory).toAbsolutePath());
    }

    /** A signed statement: the entry at {@code position} has hash {@code hash}. */
    public record Checkpoint(long position, byte[] hash, Instant signedAt, byte[] signature) {

        byte[] signedText() {
            return (position + "|" + HexFormat.of().formatHex(hash) + "|" + signedAt).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Signs the chain's end now, unless it is already signed; returns its position (0: empty chain).
     * Its row joins the surrounding transaction, if any: a containment's freeze commits with its alert.
     */
    @Scheduled(
            initialDelayString = "${creneau.journal.checkpoint-interval:PT1M}",
            fixedDelayString = "${creneau.journal.checkpoint-interval:PT1M}")
    public long checkpointNow() {
        record Head(long position, byte[] hash) {}
        Head head = scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT seq, hash FROM journal_head_now()")
                        .query((rs, i) -> new Head(rs.getLong("seq"), rs.getBytes("hash")))
                        .single());
        if (head.position() == 0) {
            return 0;
        }
        Checkpoint signed;
        // No database work under the lock: a waiting thread may hold a connection from the pool.
        signing.lock();
        try {
            if (Files.exists(file(head.position()))) {
                return head.position();
            }
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            Checkpoint unsigned = new Checkpoint(head.position(), head.hash(), now, new byte[0]);
            signed = new Checkpoint(head.position(), head.hash(), now, key.sign(unsigned.signedText()));
            write(signed);
        } finally {
            signing.unlock();
        }
        // Another node may record the same position first: the function keeps the first row.
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT journal_record_checkpoint(:position, :hash, :at, :signature)")
                        .param("position", signed.position())
                        .param("hash", signed.hash())
                        .param("at", signed.signedAt().atOffset(ZoneOffset.UTC))
                        .param("signature", signed.signature())
                        .query()
                        .listOfRows());
        log.info("Journal checkpoint signed at position {}", signed.position());
        return signed.position();
    }

    /** The checkpoint files, oldest first. */
    public List<Checkpoint> readAll() {
        List<Checkpoint> all = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return all;
        }
        try (var files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".checkpoint"))
                    .sorted()
                    .toList()) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                all.add(new Checkpoint(
                        Long.parseLong(p.getProperty("position")),
                        HexFormat.of().parseHex(p.getProperty("hash")),
                        Instant.parse(p.getProperty("signedAt")),
                        Base64.getDecoder().decode(p.getProperty("signature"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(java.util.Comparator.comparingLong(Checkpoint::position));
        return all;
    }

    public boolean authentic(Checkpoint c) {
        return key.verifies(c.signature(), c.signedText());
    }

    private void write(Checkpoint c) {
        try {
            Files.createDirectories(directory);
            String text = "position=" + c.position() + "\nhash="
                    + HexFormat.of().formatHex(c.hash()) + "\nsignedAt=" + c.signedAt() + "\nsignature="
                    + Base64.getEncoder().encodeToString(c.signature()) + "\n";
            // Two nodes may sign the same end at once: each writes its own file, the last rename wins.
            Path tmp = directory.resolve(c.position() + "-" + java.util.UUID.randomUUID() + ".tmp");
            DurableFiles.writeSynced(tmp, text);
            Files.move(tmp, file(c.position()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(long position) {
        return directory.resolve(String.format("%020d.checkpoint", position));
    }
}
