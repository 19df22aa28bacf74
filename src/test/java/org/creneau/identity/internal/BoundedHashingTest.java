package org.creneau.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.creneau.platform.UnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

/** At most a fixed number of password hashes run at once; one more waits a moment, then is refused as busy. */
class BoundedHashingTest {

    /** A hash that takes as long as the test says: it holds its permit until released. */
    static final class HeldHash implements PasswordEncoder {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String encode(CharSequence raw) {
            return "hash";
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    @Test
    void aHashOverTheCapIsRefusedAsBusyAndGoesThroughOnceAPermitIsFree() throws Exception {
        HeldHash held = new HeldHash();
        PasswordConfiguration.BoundedHashing hashing = new PasswordConfiguration.BoundedHashing(held, 1, 50);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> hashing.matches("a", "hash"));
        assertThat(held.started.await(30, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> hashing.encode("b"))
                .isInstanceOfSatisfying(
                        UnavailableException.class, e -> assertThat(e.code()).isEqualTo("busy"));

        held.release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(hashing.encode("b")).isEqualTo("hash");
    }
}
