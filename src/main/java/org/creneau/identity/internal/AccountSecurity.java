package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.TenantScope;
import org.creneau.identity.SecurityNotice;
import org.creneau.identity.internal.LoginThrottle.Subject;
import org.creneau.platform.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/**
 * What a signed-in account changes about its own security: its password (the current one first,
 * throttled like a sign-in), its second factor (turned on with the same enrolment as the JSON API,
 * turned off with a code), and its sessions (all ended at once). Each step acts as the account.
 */
@Component
public class AccountSecurity {

    private static final Logger log = LoggerFactory.getLogger(AccountSecurity.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final PasswordEncoder passwords;
    private final SecondFactors secondFactors;
    private final LoginThrottle throttle;
    private final SecurityNotices notices;
    private final SessionSignIn signIn;
    /** Absent when the application runs a command (no web server, no sessions). */
    private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;

    AccountSecurity(
            JdbcClient jdbc,
            TenantScope scope,
            PasswordEncoder passwords,
            SecondFactors secondFactors,
            LoginThrottle throttle,
            SecurityNotices notices,
            SessionSignIn signIn,
            ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.passwords = passwords;
        this.secondFactors = secondFactors;
        this.throttle = throttle;
        this.notices = notices;
        this.signIn = signIn;
        this.sessions = sessions;
    }

    /** Thrown when the account's attempts are blocked; carries how long to wait. */
    public static final class Throttled extends RuntimeException {
        private final long retryAfterSeconds;

        Throttled(long retryAfterSeconds) {
            super("throttled");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * Checks the current password (a wrong one counts like a failed sign-in) and stores the new
     * one's hash; false when the current password is wrong. The new password must already have
     * passed the policy. The account's other sessions end: whoever knew the old password is out.
     */
    public boolean changePassword(UUID accountId, String current, String next, HttpServletRequest request) {
        Subject account = Subject.account(accountId);
        count(account);
        String hash = scope.read(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("SELECT password_hash FROM account WHERE id = :id")
                        .param("id", accountId)
                        .query(String.class)
                        .single());
        if (current == null || current.length() > 128 || !passwords.matches(current, hash)) {
            log.info("Wrong current password for account {}", accountId);
            return false;
        }
        scope.write(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("UPDATE account SET password_hash = :hash WHERE id = :id")
                        .param("hash", passwords.encode(next))
                        .param("id", accountId)
                        .update());
        throttle.uncount(account);
        throttle.forget(List.of(account));
        notices.tell(accountId, SecurityNotice.Kind.PASSWORD_CHANGED);
        HttpSession mine = request.getSession(false);
        int ended = endSessions(accountId, mine == null ? Set.of() : Set.of(mine.getId()));
        log.info("Account {} changed its password; {} other session(s) ended", accountId, ended);
        return true;
    }

    public boolean secondFactorEnabled(UUID accountId) {
        return secondFactors.enabled(accountId);
    }

    /** A new secret to enrol, unconfirmed: {@code otpauthUri} for a QR code, {@code secret} to type. */
    public record Enrolment(String otpauthUri, String secret) {}

    public Enrolment startSecondFactor(UUID accountId) {
        SecondFactors.Enrolment started = secondFactors.start(accountId);
        return new Enrolment(started.otpauthUri(), started.secret());
    }

    /** The recovery codes, shown once, or empty when the code is not the authenticator's current one. */
    public Optional<List<String>> confirmSecondFactor(UUID accountId, String code) {
        Optional<List<String>> codes = secondFactors.confirm(accountId, code == null ? "" : code.strip());
        codes.ifPresent(c -> {
            log.info("Account {} enrolled a second factor", accountId);
            notices.tell(accountId, SecurityNotice.Kind.SECOND_FACTOR_ON);
        });
        return codes;
    }

    /**
     * Turns a patient's second factor off with a current code or an unused recovery code (a wrong
     * one counts like a failed sign-in); false when it is wrong. Staff must keep theirs.
     */
    public boolean turnOffSecondFactor(UUID accountId, String code, String recoveryCode) {
        Subject account = Subject.account(accountId);
        AccountKind kind = scope.read(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("SELECT kind FROM account WHERE id = :id")
                        .param("id", accountId)
                        .query((rs, i) -> AccountKind.valueOf(rs.getString(1)))
                        .single());
        if (kind != AccountKind.PATIENT) {
            throw new ConflictException("second-factor-required", "Staff accounts keep their second factor.");
        }
        count(account);
        boolean hasCode = code != null && !code.isBlank();
        boolean accepted = hasCode
                ? code.strip().matches("^[0-9]{6}$") && secondFactors.verifyCode(accountId, code.strip())
                : recoveryCode != null && secondFactors.useRecoveryCode(accountId, recoveryCode);
        if (!accepted) {
            log.info("Wrong code to turn off the second factor of account {}", accountId);
            return false;
        }
        scope.write(new Caller.AccountOwner(accountId), () -> {
            jdbc.sql("DELETE FROM recovery_code WHERE account_id = :id")
                    .param("id", accountId)
                    .update();
            jdbc.sql("DELETE FROM account_totp WHERE account_id = :id")
                    .param("id", accountId)
                    .update();
        });
        throttle.uncount(account);
        throttle.forget(List.of(account));
        notices.tell(accountId, SecurityNotice.Kind.SECOND_FACTOR_OFF);
        log.info("Account {} turned its second factor off", accountId);
        return true;
    }

    /**
     * New recovery codes, the earlier ones no longer valid, once a current code of the authenticator
     * proves the device is in hand (a wrong one counts like a failed sign-in); empty when it is wrong.
     */
    public Optional<List<String>> replaceRecoveryCodes(UUID accountId, String code) {
        Subject account = Subject.account(accountId);
        count(account);
        boolean accepted =
                code != null && code.strip().matches("^[0-9]{6}$") && secondFactors.verifyCode(accountId, code.strip());
        if (!accepted) {
            log.info("Wrong code to replace the recovery codes of account {}", accountId);
            return Optional.empty();
        }
        throttle.uncount(account);
        throttle.forget(List.of(account));
        List<String> codes = secondFactors.replaceRecoveryCodes(accountId);
        log.info("Account {} replaced its recovery codes", accountId);
        return Optional.of(codes);
    }

    /**
     * Ends every session of the account at once when it may no longer act at all (disabled, or staff
     * with no active membership left); a session of an account that still may is left to follow its
     * rights at its next request ({@link SessionRights}). Returns how many ended.
     */
    public int endSessionsWithoutAccess(UUID accountId) {
        return signIn.principal(accountId).isPresent() ? 0 : endEverySession(accountId);
    }

    /** Ends every session of another account at once (an account contained, disabled, removed); returns how many. */
    public int endEverySession(UUID accountId) {
        int ended = endSessions(accountId, Set.of());
        log.info("Every session of account {} ended: {}", accountId, ended);
        return ended;
    }

    /** Ends every session of the account, this one included, on every node (they live in PostgreSQL). */
    public void signOutEverywhere(UUID accountId, HttpServletRequest request) {
        HttpSession mine = request.getSession(false);
        if (mine != null) {
            mine.invalidate();
        }
        SecurityContextHolder.clearContext();
        int ended = endSessions(accountId, Set.of());
        log.info("Account {} signed out everywhere; {} other session(s) ended", accountId, ended);
    }

    private int endSessions(UUID accountId, Set<String> keep) {
        // The session table indexes the principal's name, which is the account id (SignedInAuthentication).
        FindByIndexNameSessionRepository<? extends Session> store = sessions.getObject();
        Set<String> ids = store.findByPrincipalName(accountId.toString()).keySet();
        int ended = 0;
        for (String id : ids) {
            if (!keep.contains(id)) {
                store.deleteById(id);
                ended++;
            }
        }
        return ended;
    }

    /** Counts the attempt before its secret is checked; a blocked account is refused unchecked. */
    private void count(Subject account) {
        try {
            throttle.count(account);
        } catch (LoginThrottled e) {
            throw new Throttled(e.retryAfterSeconds());
        }
    }
}
