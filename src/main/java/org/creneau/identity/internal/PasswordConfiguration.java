package org.creneau.identity.internal;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.creneau.platform.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id for every new hash; the delegating encoder keeps ids such as {argon2} readable. At most
 * {@code creneau.login.concurrent-hashes} hashes run at once on a node: each takes 19 MiB and a
 * core for tens of milliseconds, so a flood of sign-ins could otherwise take the memory and every
 * core. One more waits up to {@code hash-wait}, then is answered 503 with Retry-After.
 */
@Configuration(proxyBeanMethods = false)
class PasswordConfiguration {

    @Bean
    PasswordEncoder passwordEncoder(LoginSettings settings) {
        // OWASP's Argon2id baseline: 19 MiB, 2 iterations, 1 lane.
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19456, 2);
        return new BoundedHashing(
                new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2)),
                settings.concurrentHashes(),
                settings.hashWait().toMillis());
    }

    /** A password encoder that computes at most a fixed number of hashes at once. */
    static final class BoundedHashing implements PasswordEncoder {

        private static final Logger log = LoggerFactory.getLogger(BoundedHashing.class);

        private final PasswordEncoder hashing;
        private final Semaphore permits;
        private final long waitMillis;

        BoundedHashing(PasswordEncoder hashing, int concurrent, long waitMillis) {
            this.hashing = hashing;
            this.permits = new Semaphore(concurrent, true);
            this.waitMillis = waitMillis;
        }

        @Override
        public String encode(CharSequence rawPassword) {
            return bounded(() -> hashing.encode(rawPassword));
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            return bounded(() -> hashing.matches(rawPassword, encodedPassword));
        }

        @Override
        public boolean upgradeEncoding(String encodedPassword) {
            return hashing.upgradeEncoding(encodedPassword);
        }

        private <T> T bounded(Supplier<T> hash) {
            boolean acquired;
            try {
                acquired = permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acquired = false;
            }
            if (!acquired) {
                log.warn("Password hashing busy: a sign-in answered 503");
                throw new UnavailableException("busy", "Too many sign-ins at once. Try again in a moment.", null);
            }
            try {
                return hash.get();
            } finally {
                permits.release();
            }
        }
    }
}
