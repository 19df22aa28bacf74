package org.creneau.identity.internal;

import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-in attempts per account and per client address in PostgreSQL, so every node
 * sees the same counts. Past the limit, a subject is blocked for {@code firstDelay}, doubled by
 * every further failure up to {@code maxDelay}; a blocked request is refused before any password
 * or code is checked. A full sign-in clears the account's count, never the address's.
 */
@Component
class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    enum Kind {
        ACCOUNT,
        ADDRESS
    }

    /** What is counted: an account (or an unknown email address, hashed), or a client address. */
    record Subject(Kind kind, String key) {

        static Subject account(UUID accountId) {
            return new Subject(Kind.ACCOUNT, accountId.toString());
        }

        /** An address no account has: counted like an account, so the answers do not tell them apart. */
        static Subject unknownEmail(String email) {
            return new Subject(Kind.ACCOUNT, "email:" + Sha256.hex(email.trim().toLowerCase(Locale.ROOT)));
        }

        static Subject address(String remoteAddress) {
            return new Subject(Kind.ADDRESS, remoteAddress == null ? "unknown" : remoteAddress);
        }
    }

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final LoginSettings settings;

    LoginThrottle(JdbcClient jdbc, TenantScope scope, Clock clock, LoginSettings settings) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.settings = settings;
    }

    /** Refuses with {@link LoginThrottled} while any of the subjects is blocked. */
    void check(Subject... subjects) {
        Instant now = clock.instant();
        Instant until = scope.read(Caller.ANONYMOUS, () -> {
            Instant latest = null;
            for (Subject subject : subjects) {
                Instant blocked = jdbc.sql("""
                                SELECT blocked_until FROM login_throttle
                                 WHERE kind = :kind AND subject = :subject AND blocked_until > :now
                                """)
                        .param("kind", subject.kind().name())
                        .param("subject", subject.key())
                        .param("now", timestamp(now))
                        .query((rs, i) -> rs.getTimestamp(1).toInstant())
                        .optional()
                        .orElse(null);
                if (blocked != null && (latest == null || blocked.isAfter(latest))) {
                    latest = blocked;
                }
            }
            return latest;
        });
        if (until != null) {
            log.info("Sign-in refused while throttled");
            throw new LoginThrottled(Duration.between(now, until));
        }
    }

    /** One more failure for each subject; past its limit, the subject is blocked. */
    void recordFailure(Subject... subjects) {
        Instant now = clock.instant();
        scope.write(Caller.ANONYMOUS, () -> {
            for (Subject subject : subjects) {
                recordFailure(subject, now);
            }
        });
    }

    /** A full sign-in: the account starts again from no failure. */
    void recordSuccess(Subject account) {
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("DELETE FROM login_throttle WHERE kind = :kind AND subject = :subject")
                        .param("kind", account.kind().name())
                        .param("subject", account.key())
                        .update());
    }

    /** Forgets subjects that have been quiet for longer than the window: they no longer count. */
    @Scheduled(fixedDelayString = "${creneau.login.sweep-interval:PT1H}")
    int forgetQuietSubjects() {
        Instant cutoff = clock.instant().minus(settings.failureWindow());
        int forgotten = scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                DELETE FROM login_throttle
                                 WHERE greatest(last_failure_at, coalesce(blocked_until, last_failure_at)) < :cutoff
                                """).param("cutoff", timestamp(cutoff)).update());
        if (forgotten > 0) {
            log.info("Forgot {} quiet sign-in throttle entries", forgotten);
        }
        return forgotten;
    }

    private void recordFailure(Subject subject, Instant now) {
        jdbc.sql("""
                        INSERT INTO login_throttle (kind, subject, failures, last_failure_at)
                        VALUES (:kind, :subject, 0, :now)
                        ON CONFLICT (kind, subject) DO NOTHING
                        """)
                .param("kind", subject.kind().name())
                .param("subject", subject.key())
                .param("now", timestamp(now))
                .update();
        record Row(int failures, Instant lastFailure, Instant blockedUntil) {}
        // Locked until commit: two nodes counting the same subject at once both count.
        Row row = jdbc.sql("""
                        SELECT failures, last_failure_at, blocked_until FROM login_throttle
                         WHERE kind = :kind AND subject = :subject FOR UPDATE
                        """)
                .param("kind", subject.kind().name())
                .param("subject", subject.key())
                .query((rs, i) -> new Row(
                        rs.getInt("failures"),
                        rs.getTimestamp("last_failure_at").toInstant(),
                        rs.getTimestamp("blocked_until") == null
                                ? null
                                : rs.getTimestamp("blocked_until").toInstant()))
                .single();
        Instant quietSince = row.blockedUntil() != null && row.blockedUntil().isAfter(row.lastFailure())
                ? row.blockedUntil()
                : row.lastFailure();
        int failures = quietSince.plus(settings.failureWindow()).isBefore(now) ? 1 : row.failures() + 1;
        int limit =
                subject.kind() == Kind.ACCOUNT ? settings.maxFailuresPerAccount() : settings.maxFailuresPerAddress();
        Instant blockedUntil = row.blockedUntil();
        if (failures >= limit) {
            blockedUntil = now.plus(delay(failures - limit));
            log.info("Sign-in throttled for {} after {} failures", subject.kind(), failures);
        }
        jdbc.sql("""
                        UPDATE login_throttle SET failures = :failures, last_failure_at = :now, blocked_until = :until
                         WHERE kind = :kind AND subject = :subject
                        """)
                .param("failures", failures)
                .param("now", timestamp(now))
                .param("until", blockedUntil == null ? null : timestamp(blockedUntil), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("kind", subject.kind().name())
                .param("subject", subject.key())
                .update();
    }

    /** 30 s, 60 s, 120 s ... for the first, second, third failure past the limit, capped. */
    private Duration delay(int failuresPastLimit) {
        Duration delay = settings.firstDelay().multipliedBy(1L << Math.min(failuresPastLimit, 20));
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
