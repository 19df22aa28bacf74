package org.creneau.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.AccountLinkRequested.Purpose;
import org.creneau.identity.internal.AccountSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Links mailed to an account's owner: email verification and password reset. A link's token is 32
 * random bytes, issued when its mail is written and kept only as its SHA-256 hash; following it works
 * once, before it expires. Asking for a reset answers the same whether the address has an account or
 * not, and is limited per client address and per account.
 */
@Service
public class AccountLinks {

    private static final Logger log = LoggerFactory.getLogger(AccountLinks.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration ADDRESS_WINDOW = Duration.ofMinutes(15);
    private static final Duration ACCOUNT_WINDOW = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final PasswordEncoder passwords;
    private final Accounts accounts;
    private final AccountSecurity security;
    private final Duration resetValidity;
    private final Duration verifyValidity;
    private final int requestsPerAddress;
    private final int mailsPerAccount;
    /** The guard's addresses without a rate limit (a monitoring probe, the tests' own machine). */
    private final Set<String> unlimitedAddresses;

    AccountLinks(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            ApplicationEventPublisher events,
            PasswordEncoder passwords,
            Accounts accounts,
            AccountSecurity security,
            @Value("${creneau.account-links.reset-validity:PT30M}") Duration resetValidity,
            @Value("${creneau.account-links.verify-validity:P2D}") Duration verifyValidity,
            @Value("${creneau.account-links.requests-per-address-per15-minutes:10}") int requestsPerAddress,
            @Value("${creneau.account-links.mails-per-account-per-hour:3}") int mailsPerAccount,
            @Value("${creneau.guard.unlimited-addresses:}") Set<String> unlimitedAddresses) {
        this.unlimitedAddresses = unlimitedAddresses;
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.events = events;
        this.passwords = passwords;
        this.accounts = accounts;
        this.security = security;
        this.resetValidity = resetValidity;
        this.verifyValidity = verifyValidity;
        this.requestsPerAddress = requestsPerAddress;
        this.mailsPerAccount = mailsPerAccount;
    }

    /** Too many requests for a link from one client address: answered 429, whatever the address asked for. */
    public static final class TooManyRequests extends RuntimeException {
        private final long retryAfterSeconds;

        TooManyRequests(long retryAfterSeconds) {
            super("too many link requests");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** How long a link of this purpose stays valid. */
    public Duration validity(Purpose purpose) {
        return purpose == Purpose.RESET_PASSWORD ? resetValidity : verifyValidity;
    }

    /**
     * Asks for a password reset link for the address. Whether or not an account has it, the same work
     * is done (one lookup, one request row) and nothing is returned: the caller answers the same. A
     * link is mailed only to an enabled account, at most {@code mails-per-account-per-hour} an hour.
     */
    public void requestPasswordReset(String email, String clientAddress) {
        String address = email == null ? "" : email.trim();
        Instant now = clock.instant();
        scope.write(Caller.ANONYMOUS, () -> {
            countRequest(Purpose.RESET_PASSWORD, clientAddress, now);
            record Found(UUID id, boolean disabled) {}
            Optional<Found> found = address.isEmpty() || address.length() > 254
                    ? Optional.empty()
                    : jdbc.sql("SELECT id, disabled FROM account_for_login(:email)")
                            .param("email", address)
                            .query((rs, i) -> new Found(rs.getObject("id", UUID.class), rs.getBoolean("disabled")))
                            .optional();
            UUID accountId = found.filter(f -> !f.disabled()).map(Found::id).orElse(null);
            UUID requestId = record(Purpose.RESET_PASSWORD, clientAddress, accountId, now);
            if (accountId != null && underAccountLimit(accountId, Purpose.RESET_PASSWORD, now)) {
                events.publishEvent(new AccountLinkRequested(Purpose.RESET_PASSWORD, accountId, requestId, now));
            }
        });
    }

    /** Mails the signed-in patient a new verification link, unless the address is verified already. */
    public void sendVerificationAgain(Caller.Patient me, String clientAddress) {
        Instant now = clock.instant();
        scope.write(Caller.ANONYMOUS, () -> {
            countRequest(Purpose.VERIFY_EMAIL, clientAddress, now);
            UUID requestId = record(Purpose.VERIFY_EMAIL, clientAddress, me.accountId(), now);
            if (!emailVerified(me.accountId()) && underAccountLimit(me.accountId(), Purpose.VERIFY_EMAIL, now)) {
                events.publishEvent(new AccountLinkRequested(Purpose.VERIFY_EMAIL, me.accountId(), requestId, now));
            }
        });
    }

    /** Whether the account's owner has proved the email address theirs (any caller: it says nothing else). */
    public boolean emailVerified(UUID accountId) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT account_email_verified(:id)")
                .param("id", accountId)
                .query(Boolean.class)
                .single());
    }

    /** Where a link goes and in which language: the account's email, read as the account itself. */
    public record Recipient(String email, Locale language) {}

    /**
     * In a listener's transaction, call it before anything else: the transaction then acts as the
     * account (its first caller stays), which is the only one that reads the account's row.
     */
    public Recipient recipient(UUID accountId) {
        String email = scope.read(
                new Caller.AccountOwner(accountId),
                () -> accounts.contact(accountId).email());
        return new Recipient(email, accounts.language(accountId));
    }

    /**
     * A new link's token for the account, to be put in the mail being written; empty when a link was
     * already issued for this event (the mail with it is already in the outbox). Runs in the caller's
     * transaction, so the link exists only if the mail is queued too.
     */
    public Optional<String> issue(Purpose purpose, UUID accountId, String eventKey) {
        String token = newToken();
        Instant now = clock.instant();
        int added = scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                INSERT INTO account_link (token_hash, purpose, account_id, event_key, created_at, expires_at)
                                VALUES (:hash, :purpose, :account, :eventKey, :now, :expires)
                                ON CONFLICT (event_key) DO NOTHING
                                """)
                        .param("hash", hash(token))
                        .param("purpose", purpose.name())
                        .param("account", accountId)
                        .param("eventKey", eventKey)
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("expires", now.plus(validity(purpose)).atOffset(ZoneOffset.UTC))
                        .update());
        return added == 1 ? Optional.of(token) : Optional.empty();
    }

    /** Verifies the email address of the link's account; false for an unknown, used or expired link. */
    public boolean verifyEmail(String token) {
        Instant now = clock.instant();
        Optional<UUID> account = scope.write(Caller.ANONYMOUS, () -> {
            Optional<UUID> used = use(Purpose.VERIFY_EMAIL, token, now);
            used.ifPresent(id -> {
                scope.continueAs(new Caller.AccountOwner(id));
                jdbc.sql("UPDATE account SET email_verified_at = :now WHERE id = :id AND email_verified_at IS NULL")
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("id", id)
                        .update();
            });
            return used;
        });
        account.ifPresentOrElse(
                id -> log.info("Account {} verified its email address", id),
                () -> log.info("An unknown, used or expired verification link was refused"));
        return account.isPresent();
    }

    /** Whether a reset link can still be used: shown before the new password is asked. */
    public boolean resetLinkValid(String token) {
        if (!wellFormed(token)) {
            return false;
        }
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                SELECT EXISTS (SELECT 1 FROM account_link WHERE token_hash = :hash
                                               AND purpose = 'RESET_PASSWORD' AND used_at IS NULL AND expires_at > :now)
                                """)
                        .param("hash", hash(token))
                        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .query(Boolean.class)
                        .single());
    }

    /** What following a reset link with a new password did. */
    public enum ResetOutcome {
        /** The password is changed; every session of the account has ended. */
        DONE,
        /** The link is unknown, used or expired. */
        INVALID_LINK
    }

    /**
     * Sets the new password of the link's account and uses the link, with every other reset link of
     * the account; then ends every session of the account. A password against the policy is an
     * {@code InvalidInputException} on {@code password}, checked first, and leaves the link usable.
     * A second factor stays as it was: a staff member still gives their code at the next sign-in.
     */
    public ResetOutcome resetPassword(String token, String newPassword) {
        accounts.checkPassword(newPassword);
        String newHash = passwords.encode(newPassword);
        Instant now = clock.instant();
        Optional<UUID> account = scope.write(Caller.ANONYMOUS, () -> {
            Optional<UUID> used = use(Purpose.RESET_PASSWORD, token, now);
            used.ifPresent(id -> {
                jdbc.sql("""
                                UPDATE account_link SET used_at = :now
                                 WHERE account_id = :id AND purpose = 'RESET_PASSWORD' AND used_at IS NULL
                                """)
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("id", id)
                        .update();
                scope.continueAs(new Caller.AccountOwner(id));
                // The mailed link proves the address too.
                jdbc.sql("""
                                UPDATE account SET password_hash = :hash,
                                       email_verified_at = coalesce(email_verified_at, :now)
                                 WHERE id = :id
                                """)
                        .param("hash", newHash)
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("id", id)
                        .update();
            });
            return used;
        });
        if (account.isEmpty()) {
            log.info("An unknown, used or expired reset link was refused");
            return ResetOutcome.INVALID_LINK;
        }
        // After the commit: whoever held a session with the old password is out.
        int ended = security.endEverySession(account.get());
        log.info("Account {} reset its password; {} session(s) ended", account.get(), ended);
        return ResetOutcome.DONE;
    }

    /** Deletes links and request rows a day past use, every hour. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1H")
    public int purge() {
        Instant now = clock.instant();
        return scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("DELETE FROM account_link WHERE expires_at < :before OR used_at < :before")
                                .param("before", now.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
                                .update()
                        + jdbc.sql("DELETE FROM account_link_request WHERE requested_at < :before")
                                .param("before", now.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
                                .update());
    }

    /** A random link token: 32 bytes, URL-safe. */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is kept of a token: its SHA-256 (the token has 256 bits of its own, no salt needed). */
    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    static boolean wellFormed(String token) {
        return token != null && token.matches("^[A-Za-z0-9_-]{43}$");
    }

    private Optional<UUID> use(Purpose purpose, String token, Instant now) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        UPDATE account_link SET used_at = :now
                         WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now
                        RETURNING account_id
                        """)
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("hash", hash(token))
                .param("purpose", purpose.name())
                .query(UUID.class)
                .optional();
    }

    private void countRequest(Purpose purpose, String clientAddress, Instant now) {
        if (unlimitedAddresses.contains(clientAddress)) {
            return;
        }
        long recent = jdbc.sql("""
                        SELECT count(*) FROM account_link_request
                         WHERE address_hash = :address AND requested_at > :since
                        """)
                .param("address", addressHash(clientAddress))
                .param("since", now.minus(ADDRESS_WINDOW).atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .single();
        if (recent >= requestsPerAddress) {
            log.info("Link requests ({}) refused for a client address: {} in {}", purpose, recent, ADDRESS_WINDOW);
            throw new TooManyRequests(ADDRESS_WINDOW.toSeconds());
        }
    }

    private UUID record(Purpose purpose, String clientAddress, UUID accountId, Instant now) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO account_link_request (id, purpose, address_hash, account_id, requested_at)
                        VALUES (:id, :purpose, :address, :account, :now)
                        """)
                .param("id", id)
                .param("purpose", purpose.name())
                .param("address", addressHash(clientAddress))
                .param("account", accountId, java.sql.Types.OTHER)
                .param("now", now.atOffset(ZoneOffset.UTC))
                .update();
        return id;
    }

    private boolean underAccountLimit(UUID accountId, Purpose purpose, Instant now) {
        long recent = jdbc.sql("""
                        SELECT count(*) FROM account_link_request
                         WHERE account_id = :account AND purpose = :purpose AND requested_at > :since
                        """)
                .param("account", accountId)
                .param("purpose", purpose.name())
                .param("since", now.minus(ACCOUNT_WINDOW).atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .single();
        // The request just recorded counts among them.
        boolean under = recent <= mailsPerAccount;
        if (!under) {
            log.info("No {} link mailed to account {}: {} asked within {}", purpose, accountId, recent, ACCOUNT_WINDOW);
        }
        return under;
    }

    private static String addressHash(String clientAddress) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((clientAddress == null ? "" : clientAddress).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
