package org.creneau.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.creneau.access.TenantScope;
import org.creneau.journal.internal.Checkpoints;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The journal fails verification only when tampered with: on a fresh key directory, freezes and
 * scheduled checkpoints racing from many threads (the moment a containment meets the first
 * checkpoint, or several nodes and a {@code journal verify} starting together) still leave every
 * checkpoint signed with the one key a verifier later reads.
 */
@IntegrationTest
class JournalKeyRaceTests {

    static final int THREADS = 16;
    static final int ROUNDS = 4;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TenantScope scope;

    @Autowired
    Clock clock;

    @Autowired
    Journal journal;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @TempDir
    Path root;

    @Test
    void freezesAndCheckpointsRacingOnAFreshKeyDirectoryLeaveAJournalThatVerifies() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Path keys = root.resolve("round-" + round + "/keys");
            Path signed = root.resolve("round-" + round + "/checkpoints");
            JournalVerifier.Report report;
            // The shared database's checkpoints are signed with the suite's key, each round's with its own:
            // a verifier rightly refuses another key's, so each round sees only its own rows.
            setAsideCheckpointRows();
            try {
                race(keys, signed);
                report = new JournalVerifier(checkpoints(keys, signed), clock).verify(owner);
            } finally {
                restoreCheckpointRows();
            }
            assertThat(report.problems()).as("round %d", round).isEmpty();
            assertThat(report.checkpoints()).as("round %d", round).isPositive();
            try (var files = Files.list(keys)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("journal-signing.json")))
                        .as("one keyset, written once")
                        .hasSize(1);
            }
        }
    }

    /**
     * Each thread starts its own checkpoint signer on the same directories, as a node does, moves the
     * chain's end, then freezes the journal (half of them) or signs a checkpoint (the others).
     */
    private void race(Path keys, Path signed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> work = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                boolean freezes = i % 2 == 0;
                work.add(pool.submit(() -> {
                    start.await();
                    Checkpoints node = checkpoints(keys, signed);
                    journal.append(new AccessRecord(
                            AccessRecord.ActorKind.PLATFORM,
                            null,
                            "RACE",
                            null,
                            null,
                            "TEST journal key race",
                            "SECURITY",
                            "Appointment",
                            List.of(UUID.randomUUID()),
                            List.of(),
                            "OK"));
                    return freezes
                            ? new Journal(jdbc, scope, clock, node).freeze(null, null, "journal key race test")
                            : node.checkpointNow();
                }));
            }
            start.countDown();
            for (Future<Long> each : work) {
                assertThat(each.get()).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void setAsideCheckpointRows() {
        JdbcTemplate asOwner = new JdbcTemplate(owner);
        asOwner.execute("DROP TABLE IF EXISTS race_saved_checkpoint, race_saved_checkpoint_head");
        asOwner.execute("CREATE TABLE race_saved_checkpoint AS SELECT * FROM journal_checkpoint");
        asOwner.execute("CREATE TABLE race_saved_checkpoint_head AS SELECT * FROM journal_checkpoint_head");
        asOwner.execute("DELETE FROM journal_checkpoint_head");
        asOwner.execute("DELETE FROM journal_checkpoint");
    }

    private void restoreCheckpointRows() {
        JdbcTemplate asOwner = new JdbcTemplate(owner);
        asOwner.execute("DELETE FROM journal_checkpoint_head");
        asOwner.execute("DELETE FROM journal_checkpoint");
        asOwner.execute("INSERT INTO journal_checkpoint OVERRIDING SYSTEM VALUE SELECT * FROM race_saved_checkpoint");
        asOwner.execute("INSERT INTO journal_checkpoint_head SELECT * FROM race_saved_checkpoint_head");
        asOwner.execute("DROP TABLE race_saved_checkpoint, race_saved_checkpoint_head");
    }

    private Checkpoints checkpoints(Path keys, Path signed) {
        return new Checkpoints(jdbc, scope, clock, signed.toString(), keys.toString(), Duration.ofHours(1), false);
    }
}
