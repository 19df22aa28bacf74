package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.SignedInAccount.Membership;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The two states a session can reach at login: pending a second factor, or signed in. Each
 * transition gives the session a new id, so an id known before it is worth nothing after it.
 */
@Component
class SessionSignIn {

    private static final Logger log = LoggerFactory.getLogger(SessionSignIn.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final SecurityContextRepository contexts;
    private final Clock clock;
    private final LoginSettings settings;
    private final KnownDevices devices;

    SessionSignIn(
            JdbcClient jdbc,
            TenantScope scope,
            SecurityContextRepository contexts,
            Clock clock,
            LoginSettings settings,
            KnownDevices devices) {
        this.devices = devices;
        this.jdbc = jdbc;
        this.scope = scope;
        this.contexts = contexts;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The password was right but a second factor must follow: a fresh session that knows only the
     * account and the time, with nothing left of any earlier sign-in in this browser.
     */
    void awaitSecondFactor(UUID accountId, PendingLogin.Step next, HttpServletRequest request) {
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            existing.invalidate();
        }
        SecurityContextHolder.clearContext();
        request.getSession(true)
                .setAttribute(PendingLogin.ATTRIBUTE, new PendingLogin(accountId, clock.instant(), next));
        log.info("Account {} gave its password; second factor step {}", accountId, next);
    }

    /** The session's pending login, if it has one that has not expired; an expired one is dropped. */
    Optional<PendingLogin> pending(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(PendingLogin.ATTRIBUTE) instanceof PendingLogin pending)) {
            return Optional.empty();
        }
        if (clock.instant().isAfter(pending.passwordAt().plus(settings.secondFactorTimeout()))) {
            session.removeAttribute(PendingLogin.ATTRIBUTE);
            return Optional.empty();
        }
        return Optional.of(pending);
    }

    /** What a session is built from: the principal, and the account's security stamp it reflects. */
    record Principal(SignedInAccount account, long stamp) {}

    /**
     * The account as a session may act for it now, read in one transaction: empty when it is
     * disabled or gone, or staff with no membership left that is not disabled. The stamp is read
     * first, so a change committed meanwhile leaves an older stamp and is read again next time.
     */
    Optional<Principal> principal(UUID accountId) {
        record Account(AccountKind kind, boolean disabled, long stamp) {}
        return scope.read(new Caller.AccountOwner(accountId), () -> {
            Optional<Account> account = jdbc.sql("SELECT kind, disabled, security_stamp FROM account WHERE id = :id")
                    .param("id", accountId)
                    .query((rs, i) -> new Account(
                            AccountKind.valueOf(rs.getString("kind")),
                            rs.getBoolean("disabled"),
                            rs.getLong("security_stamp")))
                    .optional();
            if (account.isEmpty() || account.get().disabled()) {
                return Optional.empty();
            }
            List<Membership> memberships = jdbc.sql("""
                            SELECT organization_id, role, practitioner_id FROM staff_member
                             WHERE account_id = :id AND NOT disabled ORDER BY organization_id
                            """)
                    .param("id", accountId)
                    .query((rs, i) -> new Membership(
                            rs.getObject("organization_id", UUID.class),
                            StaffRole.valueOf(rs.getString("role")),
                            rs.getObject("practitioner_id", UUID.class)))
                    .list();
            if (account.get().kind() == AccountKind.STAFF && memberships.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Principal(
                    new SignedInAccount(accountId, account.get().kind(), memberships),
                    account.get().stamp()));
        });
    }

    /**
     * Signs the account in: a new session id, the security context saved, any pending step gone, the
     * device remembered (and a new one told to the owner).
     */
    SignedInAccount signIn(UUID accountId, HttpServletRequest request, HttpServletResponse response) {
        Principal loaded = principal(accountId).orElseThrow(() -> new BadCredentialsException("disabled"));
        // A new session id at sign-in: a session fixed before it is worth nothing after it.
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        HttpSession session = request.getSession(true);
        session.removeAttribute(PendingLogin.ATTRIBUTE);
        session.setAttribute(SessionLifetime.SIGNED_IN_AT, clock.instant());
        save(loaded, request, response);
        devices.signedIn(accountId, request, response);
        log.info("Sign-in of account {}", accountId);
        return loaded.account();
    }

    /** Puts the principal in the request's session, with the stamp it was built from. */
    void save(Principal loaded, HttpServletRequest request, HttpServletResponse response) {
        request.getSession(true).setAttribute(SessionRights.STAMP, loaded.stamp());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new SignedInAuthentication(loaded.account()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
    }

    /** Ends the session, signed in or pending, and whatever it held. */
    void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }
}
