package org.creneau.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * An account's second factor: a TOTP secret enrolled and confirmed by a first code, and ten
 * one-time recovery codes. Every method acts as the account itself, so row-level security shows
 * it nothing else.
 */
@Component
public class SecondFactors {

    static final String ISSUER = "Créneau";
    static final int RECOVERY_CODES = 10;
    private static final String RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final int RECOVERY_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;

    SecondFactors(JdbcClient jdbc, TenantScope scope, Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
    }

    /** What an authenticator app needs: the URI a QR code encodes, and the secret to type in by hand. */
    record Enrolment(String otpauthUri, String secret) {}

    /** True when the account has confirmed a TOTP secret: sign-in then asks for a code. */
    boolean enabled(UUID accountId) {
        return scope.read(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("SELECT count(*) FROM account_totp WHERE account_id = :id AND confirmed_at IS NOT NULL")
                                .param("id", accountId)
                                .query(Long.class)
                                .single()
                        > 0);
    }

    /** A new secret, unconfirmed until {@link #confirm}; replaces an earlier unconfirmed one. */
    Enrolment start(UUID accountId) {
        String secret = Totp.newSecret();
        String email = scope.write(new Caller.AccountOwner(accountId), () -> {
            boolean confirmed =
                    jdbc.sql("SELECT count(*) FROM account_totp WHERE account_id = :id AND confirmed_at IS NOT NULL")
                                    .param("id", accountId)
                                    .query(Long.class)
                                    .single()
                            > 0;
            if (confirmed) {
                throw new ConflictException(
                        "second-factor-already-enabled", "This account already has a second factor.");
            }
            jdbc.sql("""
                            INSERT INTO account_totp (account_id, secret, created_at) VALUES (:id, :secret, :now)
                            ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
                                   last_used_step = NULL
                            """)
                    .param("id", accountId)
                    .param("secret", secret)
                    .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                    .update();
            return jdbc.sql("SELECT email FROM account WHERE id = :id")
                    .param("id", accountId)
                    .query(String.class)
                    .single();
        });
        return new Enrolment(otpauthUri(email, secret), secret);
    }

    /**
     * Confirms the enrolment with a first code of the new secret; returns the recovery codes, shown
     * this once, or empty when the code is wrong (or no enrolment was started).
     */
    Optional<List<String>> confirm(UUID accountId, String code) {
        Instant now = clock.instant();
        return scope.write(new Caller.AccountOwner(accountId), () -> {
            Optional<String> secret = jdbc.sql(
                            "SELECT secret FROM account_totp WHERE account_id = :id AND confirmed_at IS NULL FOR UPDATE")
                    .param("id", accountId)
                    .query(String.class)
                    .optional();
            if (secret.isEmpty()) {
                throw new ConflictException("no-enrolment-started", "Start an enrolment first.");
            }
            OptionalLong step = Totp.matchingStep(secret.get(), code, now);
            if (step.isEmpty()) {
                return Optional.<List<String>>empty();
            }
            jdbc.sql("""
                            UPDATE account_totp SET confirmed_at = :now, last_used_step = :step
                             WHERE account_id = :id
                            """)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .param("step", step.getAsLong())
                    .param("id", accountId)
                    .update();
            return Optional.of(newRecoveryCodes(accountId, now));
        });
    }

    /**
     * True when the code is the account's for a step within tolerance that is later than the last
     * step it used; that step is then used. Atomic: of two requests with one code, one wins.
     */
    boolean verifyCode(UUID accountId, String code) {
        Instant now = clock.instant();
        return scope.write(new Caller.AccountOwner(accountId), () -> {
            Optional<String> secret = jdbc.sql(
                            "SELECT secret FROM account_totp WHERE account_id = :id AND confirmed_at IS NOT NULL")
                    .param("id", accountId)
                    .query(String.class)
                    .optional();
            if (secret.isEmpty()) {
                return false;
            }
            OptionalLong step = Totp.matchingStep(secret.get(), code, now);
            if (step.isEmpty()) {
                return false;
            }
            return jdbc.sql("""
                                    UPDATE account_totp SET last_used_step = :step
                                     WHERE account_id = :id AND (last_used_step IS NULL OR last_used_step < :step)
                                    """)
                            .param("step", step.getAsLong())
                            .param("id", accountId)
                            .update()
                    == 1;
        });
    }

    /** True when the recovery code is one of the account's, not used yet; it is then used for good. */
    boolean useRecoveryCode(UUID accountId, String recoveryCode) {
        String normalized = normalizeRecoveryCode(recoveryCode);
        if (normalized.length() != RECOVERY_LENGTH) {
            return false;
        }
        return scope.write(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("""
                                        UPDATE recovery_code SET used_at = :now
                                         WHERE account_id = :id AND code_hash = :hash AND used_at IS NULL
                                        """)
                                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                                .param("id", accountId)
                                .param("hash", Sha256.hex(normalized))
                                .update()
                        == 1);
    }

    /** New recovery codes for an account with a second factor, replacing every earlier one; shown once. */
    List<String> replaceRecoveryCodes(UUID accountId) {
        return scope.write(new Caller.AccountOwner(accountId), () -> newRecoveryCodes(accountId, clock.instant()));
    }

    /**
     * Enrols an account with a secret set up elsewhere (a practice for its staff, the demo),
     * confirmed at once. Runs in the caller's transaction, as the account or its organization.
     */
    public void provision(UUID accountId, String base32Secret) {
        String secret = base32Secret == null ? "" : base32Secret.trim().toUpperCase(Locale.ROOT);
        if (!secret.matches("^[A-Z2-7]{16,128}$")) {
            throw new InvalidInputException("secret", "must be a base32 secret of at least 16 characters");
        }
        jdbc.sql("""
                        INSERT INTO account_totp (account_id, secret, confirmed_at, created_at)
                        VALUES (:id, :secret, :now, :now)
                        """)
                .param("id", accountId)
                .param("secret", secret)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
    }

    static String otpauthUri(String email, String secret) {
        // The label and issuer are percent-encoded (RFC 3986): "é" is not allowed as such in a URI.
        String label = UriUtils.encodePathSegment(ISSUER, StandardCharsets.UTF_8) + ":"
                + UriUtils.encodePathSegment(email, StandardCharsets.UTF_8);
        // SHA-1, 6 digits and 30 seconds are the defaults every authenticator app assumes: not repeated.
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer="
                + UriUtils.encodeQueryParam(ISSUER, StandardCharsets.UTF_8);
    }

    private List<String> newRecoveryCodes(UUID accountId, Instant now) {
        jdbc.sql("DELETE FROM recovery_code WHERE account_id = :id")
                .param("id", accountId)
                .update();
        List<String> codes = new ArrayList<>(RECOVERY_CODES);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder raw = new StringBuilder(RECOVERY_LENGTH);
            for (int c = 0; c < RECOVERY_LENGTH; c++) {
                raw.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
            }
            jdbc.sql("INSERT INTO recovery_code (account_id, code_hash, created_at) VALUES (:id, :hash, :now)")
                    .param("id", accountId)
                    .param("hash", Sha256.hex(raw.toString()))
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            codes.add(String.join(
                    "-", raw.substring(0, 4), raw.substring(4, 8), raw.substring(8, 12), raw.substring(12)));
        }
        return codes;
    }

    private static String normalizeRecoveryCode(String code) {
        return code == null ? "" : code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
