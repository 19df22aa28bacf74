package org.creneau.identity.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.ClientAddress;
import org.postgresql.util.PGInterval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts sign-in attempts in PostgreSQL, so every node sees the same counts. An attempt is counted
 * (as a failure) before its secret is checked, atomically on all its subjects ({@code login_attempt},
 * V41), and taken back when the secret was right: parallel guesses cannot all pass the check. Past
 * its limit, a subject is blocked for {@code firstDelay}, doubled by every further failure up to
 * {@code maxDelay}; while any subject of an attempt is blocked, the attempt is refused unchecked.
 *
 * <p>What is counted depends on the device ({@link LoginSubjects}): from a device the account signed
 * in from before, that device alone; from any other, the account from that address, the account
 * from every unknown device together, and the address across accounts. So a guesser from many
 * addresses is slowed, and the owner's known device still gets in.
 */
@Component
class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    enum Kind {
        /** The account itself: changes a signed-in account makes with its current secret. */
        ACCOUNT,
        ACCOUNT_ADDRESS,
        ACCOUNT_DEVICE,
        ACCOUNT_UNKNOWN_DEVICES,
        ADDRESS
    }

    /** One counted thing. */
    record Subject(Kind kind, String key) {

        /** A signed-in account's own attempts (current password, code to turn the second factor off). */
        static Subject account(UUID accountId) {
            return new Subject(Kind.ACCOUNT, accountId.toString());
        }
    }

    /**
     * The subjects of one attempt on an account (or an unknown email address, hashed, counted alike so
     * the answers do not tell them apart).
     */
    record LoginSubjects(List<Subject> subjects, boolean knownDevice) {

        static LoginSubjects of(UUID accountId, String remoteAddress, String knownDeviceHash) {
            return of(accountId.toString(), remoteAddress, knownDeviceHash);
        }

        static LoginSubjects unknownEmail(String email, String remoteAddress) {
            return of("email:" + Sha256.hex(email.trim().toLowerCase(Locale.ROOT)), remoteAddress, null);
        }

        private static LoginSubjects of(String account, String remoteAddress, String knownDeviceHash) {
            if (knownDeviceHash != null) {
                return new LoginSubjects(
                        List.of(new Subject(Kind.ACCOUNT_DEVICE, account + "|" + knownDeviceHash)), true);
            }
            String address = ClientAddress.bucketOf(remoteAddress);
            return new LoginSubjects(
                    List.of(
                            new Subject(Kind.ACCOUNT_ADDRESS, account + "|" + address),
                            new Subject(Kind.ACCOUNT_UNKNOWN_DEVICES, account),
                            new Subject(Kind.ADDRESS, address)),
                    false);
        }

        /** What a full sign-in forgets: this account from this address or device, not the others. */
        List<Subject> pair() {
            return subjects.stream()
                    .filter(s -> s.kind() == Kind.ACCOUNT_ADDRESS || s.kind() == Kind.ACCOUNT_DEVICE)
                    .toList();
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

    /**
     * Counts one attempt on every subject before its secret is checked, or refuses it with {@link
     * LoginThrottled} (counting nothing) while any of them is blocked.
     */
    void count(List<Subject> subjects) {
        Instant now = clock.instant();
        Instant until = scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                SELECT login_attempt(:kinds::text[], :subjects::text[], :limits::int[], :now,
                                                     :window, :first, :max)
                                """)
                        .param(
                                "kinds",
                                subjects.stream().map(s -> s.kind().name()).toArray(String[]::new))
                        .param("subjects", subjects.stream().map(Subject::key).toArray(String[]::new))
                        .param(
                                "limits",
                                subjects.stream().map(s -> limit(s.kind())).toArray(Integer[]::new))
                        .param("now", timestamp(now))
                        .param("window", interval(settings.failureWindow()))
                        .param("first", interval(settings.firstDelay()))
                        .param("max", interval(settings.maxDelay()))
                        .query((rs, i) -> rs.getObject(1, OffsetDateTime.class))
                        .optional()
                        .map(OffsetDateTime::toInstant)
                        .orElse(null));
        if (until != null) {
            log.info("Sign-in refused while throttled");
            throw new LoginThrottled(Duration.between(now, until));
        }
    }

    void count(Subject subject) {
        count(List.of(subject));
    }

    /**
     * The secret of a counted attempt was right: the attempt is taken back, and a block it set lifts
     * when the subject is under its limit again.
     */
    void uncount(List<Subject> subjects) {
        scope.write(Caller.ANONYMOUS, () -> {
            for (Subject subject : subjects) {
                jdbc.sql("""
                                UPDATE login_throttle
                                   SET failures = greatest(failures - 1, 0),
                                       blocked_until = CASE WHEN failures - 1 < :limit THEN NULL ELSE blocked_until END
                                 WHERE kind = :kind AND subject = :subject
                                """)
                        .param("limit", limit(subject.kind()))
                        .param("kind", subject.kind().name())
                        .param("subject", subject.key())
                        .update();
            }
        });
    }

    void uncount(Subject subject) {
        uncount(List.of(subject));
    }

    /** A full sign-in (or a change the account made with its secret): these subjects start from no failure. */
    void forget(List<Subject> subjects) {
        scope.write(Caller.ANONYMOUS, () -> {
            for (Subject subject : subjects) {
                jdbc.sql("DELETE FROM login_throttle WHERE kind = :kind AND subject = :subject")
                        .param("kind", subject.kind().name())
                        .param("subject", subject.key())
                        .update();
            }
        });
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

    private int limit(Kind kind) {
        return switch (kind) {
            case ACCOUNT, ACCOUNT_ADDRESS, ACCOUNT_DEVICE -> settings.maxFailuresPerAccount();
            case ACCOUNT_UNKNOWN_DEVICES -> settings.maxFailuresFromUnknownDevices();
            case ADDRESS -> settings.maxFailuresPerAddress();
        };
    }

    private static PGInterval interval(Duration duration) {
        PGInterval interval = new PGInterval();
        interval.setSeconds(duration.toMillis() / 1000.0);
        return interval;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
