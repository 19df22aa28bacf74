package org.creneau.journal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's signing key is created once, by whoever comes first, and never replaced. */
class SigningKeyTests {

    static final int THREADS = 16;
    static final byte[] TEXT = "42|00ff|2027-01-04T06:00:00Z".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    @Test
    void manyThreadsStartingOnAFreshDirectoryAllGetTheOneKeyWrittenThere() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path directory = root.resolve("round-" + round);
            List<SigningKey> keys = race(directory);

            for (SigningKey signer : keys) {
                byte[] signature = signer.sign(TEXT);
                for (SigningKey verifier : keys) {
                    assertThat(verifier.verifies(signature, TEXT))
                            .as("round %d: every thread holds the same key", round)
                            .isTrue();
                }
            }
            assertThat(names(directory))
                    .as("one keyset, its public half and the lock: nothing half-written left behind")
                    .containsExactlyInAnyOrder(SigningKey.KEYSET_FILE, SigningKey.PUBLIC_FILE, SigningKey.LOCK_FILE);
            SigningKey reread = SigningKey.loadOrCreate(directory);
            assertThat(reread.verifies(keys.get(0).sign(TEXT), TEXT))
                    .as("the key on disk is the one the threads sign with")
                    .isTrue();
        }
    }

    @Test
    void theKeysetIsReadableByItsOwnerOnlyAndItsPublicHalfByAnyone() throws Exception {
        SigningKey.loadOrCreate(root);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(SigningKey.KEYSET_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(SigningKey.PUBLIC_FILE))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(root.resolve(SigningKey.KEYSET_FILE))).contains("ASYMMETRIC_PRIVATE");
        assertThat(Files.readString(root.resolve(SigningKey.PUBLIC_FILE)))
                .contains("ASYMMETRIC_PUBLIC")
                .doesNotContain("PRIVATE");
    }

    @Test
    void anExistingKeyIsReadNeverReplacedEvenWhenItsPublicHalfIsMissing() throws Exception {
        byte[] signature = SigningKey.loadOrCreate(root).sign(TEXT);
        Files.delete(root.resolve(SigningKey.PUBLIC_FILE));

        assertThat(SigningKey.loadOrCreate(root).verifies(signature, TEXT)).isTrue();
        assertThat(root.resolve(SigningKey.PUBLIC_FILE)).exists();
    }

    @Test
    void anExistingKeyIsOnlyReadSoItsDirectoryMayBeMountedReadOnly() throws Exception {
        byte[] signature = SigningKey.loadOrCreate(root).sign(TEXT);
        Files.delete(root.resolve(SigningKey.LOCK_FILE));

        assertThat(SigningKey.loadOrCreate(root).verifies(signature, TEXT)).isTrue();
        assertThat(names(root))
                .as("nothing written: not even the lock file")
                .containsExactlyInAnyOrder(SigningKey.KEYSET_FILE, SigningKey.PUBLIC_FILE);
    }

    @Test
    void anUnreadableKeysetStopsTheStartInsteadOfBeingReplaced() throws Exception {
        Files.writeString(root.resolve(SigningKey.KEYSET_FILE), "{\"truncated");

        assertThatThrownBy(() -> SigningKey.loadOrCreate(root))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("restore it from a backup");
        assertThat(Files.readString(root.resolve(SigningKey.KEYSET_FILE))).isEqualTo("{\"truncated");
    }

    /** Every thread loads or creates the key in {@code directory} at the same moment. */
    static List<SigningKey> race(Path directory) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SigningKey>> loading = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                loading.add(pool.submit(() -> {
                    start.await();
                    return SigningKey.loadOrCreate(directory);
                }));
            }
            start.countDown();
            List<SigningKey> keys = new ArrayList<>();
            for (Future<SigningKey> each : loading) {
                keys.add(each.get());
            }
            return keys;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> names(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
