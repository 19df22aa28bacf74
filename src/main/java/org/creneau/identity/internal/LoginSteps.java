package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.TenantScope;
import org.creneau.identity.SecurityNotice;
import org.creneau.identity.internal.LoginThrottle.LoginSubjects;
import org.creneau.platform.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The two steps of a login, shared by the JSON API and the sign-in pages so both check passwords
 * and codes the same way, with the same throttling ({@link LoginThrottle}: each attempt counted
 * before its secret is checked) and the same log lines. A refusal is a {@link
 * BadCredentialsException}, a {@link LoginThrottled} or, for a malformed code, an {@link
 * InvalidInputException}.
 */
@Component
class LoginSteps {

    private static final Logger log = LoggerFactory.getLogger(LoginSteps.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final PasswordEncoder passwords;
    private final SecondFactors secondFactors;
    private final LoginThrottle throttle;
    private final SessionSignIn sessions;
    private final KnownDevices devices;
    private final SecurityNotices notices;
    private final String dummyHash;

    LoginSteps(
            JdbcClient jdbc,
            TenantScope scope,
            PasswordEncoder passwords,
            SecondFactors secondFactors,
            LoginThrottle throttle,
            SessionSignIn sessions,
            KnownDevices devices,
            SecurityNotices notices) {
        this.devices = devices;
        this.notices = notices;
        this.jdbc = jdbc;
        this.scope = scope;
        this.passwords = passwords;
        this.secondFactors = secondFactors;
        this.throttle = throttle;
        this.sessions = sessions;
        // Unknown addresses still pay for one hash check, so timing does not tell which exist.
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    /** What a right password leads to: signed in (no second factor needed), or the step that must follow. */
    record PasswordAccepted(SignedInAccount signedIn, PendingLogin.Step next) {}

    PasswordAccepted password(String email, String password, HttpServletRequest request, HttpServletResponse response) {
        record Found(UUID id, String hash, AccountKind kind, boolean disabled) {}
        Optional<Found> found = scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT id, password_hash, kind, disabled FROM account_for_login(:email)")
                        .param("email", email.trim())
                        .query((rs, i) -> new Found(
                                rs.getObject("id", UUID.class),
                                rs.getString("password_hash"),
                                AccountKind.valueOf(rs.getString("kind")),
                                rs.getBoolean("disabled")))
                        .optional());
        LoginSubjects subjects = found.map(f -> subjects(f.id(), request))
                .orElseGet(() -> LoginSubjects.unknownEmail(email, request.getRemoteAddr()));
        // Counted before the password is checked, and refused unchecked while blocked: parallel guesses
        // queue on the count, and a blocked guesser learns nothing, even from a right guess.
        throttle.count(subjects.subjects());
        // Half of a surrogate pair is no password anyone has; Argon2 would fail on it, so the hash check
        // runs on a stand-in (same cost) and the attempt counts as a wrong password.
        boolean text = StandardCharsets.UTF_8.newEncoder().canEncode(password);
        boolean matches = passwords.matches(
                        text ? password : "not text", found.map(Found::hash).orElse(dummyHash))
                && text;
        if (found.isEmpty() || !matches || found.get().disabled()) {
            log.info("Failed login");
            throw new BadCredentialsException("bad credentials");
        }
        throttle.uncount(subjects.subjects());
        Found known = found.get();
        if (secondFactors.enabled(known.id())) {
            sessions.awaitSecondFactor(known.id(), PendingLogin.Step.TOTP_REQUIRED, request);
            return new PasswordAccepted(null, PendingLogin.Step.TOTP_REQUIRED);
        }
        if (known.kind() != AccountKind.PATIENT) {
            // Staff and platform administrators must have a second factor: they enrol one now.
            sessions.awaitSecondFactor(known.id(), PendingLogin.Step.ENROLMENT_REQUIRED, request);
            return new PasswordAccepted(null, PendingLogin.Step.ENROLMENT_REQUIRED);
        }
        throttle.forget(subjects.pair());
        return new PasswordAccepted(sessions.signIn(known.id(), request, response), null);
    }

    /** The second step of a login whose password step answered {@code TOTP_REQUIRED}: exactly one of the two codes. */
    SignedInAccount secondFactor(
            String code, String recoveryCode, HttpServletRequest request, HttpServletResponse response) {
        boolean hasCode = code != null && !code.isBlank();
        boolean hasRecoveryCode = recoveryCode != null && !recoveryCode.isBlank();
        if (hasCode == hasRecoveryCode) {
            throw new InvalidInputException("code", "give either a code or a recovery code");
        }
        if (hasCode && !code.strip().matches("^[0-9]{6}$")) {
            throw new InvalidInputException("code", "must be the 6 digits shown by the authenticator");
        }
        PendingLogin pending = sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.TOTP_REQUIRED)
                .orElseThrow(() -> new BadCredentialsException("no pending login"));
        LoginSubjects subjects = subjects(pending.accountId(), request);
        throttle.count(subjects.subjects());
        boolean accepted = hasCode
                ? secondFactors.verifyCode(pending.accountId(), code.strip())
                : secondFactors.useRecoveryCode(pending.accountId(), recoveryCode);
        if (!accepted) {
            log.info("Failed second factor for account {}", pending.accountId());
            throw new BadCredentialsException("bad second factor");
        }
        if (!hasCode) {
            log.info("Account {} signed in with a recovery code", pending.accountId());
        }
        throttle.uncount(subjects.subjects());
        throttle.forget(subjects.pair());
        return sessions.signIn(pending.accountId(), request, response);
    }

    /**
     * A new secret for a login waiting for enrolment (its password was right, the account has no
     * second factor yet); a {@link BadCredentialsException} when the session is not waiting for one.
     */
    SecondFactors.Enrolment startEnrolment(HttpServletRequest request) {
        return secondFactors.start(enrollingAccount(request));
    }

    /**
     * Confirms the enrolment of a login waiting for it with a first code of the new secret: the
     * recovery codes (shown once) and the session signed in, or empty when the code is wrong, which
     * counts like a wrong password.
     */
    Optional<List<String>> confirmEnrolment(String code, HttpServletRequest request, HttpServletResponse response) {
        UUID accountId = enrollingAccount(request);
        LoginSubjects subjects = subjects(accountId, request);
        throttle.count(subjects.subjects());
        Optional<List<String>> codes = secondFactors.confirm(accountId, code == null ? "" : code.strip());
        if (codes.isEmpty()) {
            log.info("Failed enrolment code for account {}", accountId);
            return codes;
        }
        log.info("Account {} enrolled a second factor", accountId);
        notices.tell(accountId, SecurityNotice.Kind.SECOND_FACTOR_ON);
        throttle.uncount(subjects.subjects());
        throttle.forget(subjects.pair());
        sessions.signIn(accountId, request, response);
        return codes;
    }

    /** True when the session is a login whose next step is enrolling a second factor. */
    boolean awaitsEnrolment(HttpServletRequest request) {
        return sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.ENROLMENT_REQUIRED)
                .isPresent();
    }

    private LoginSubjects subjects(UUID accountId, HttpServletRequest request) {
        return LoginSubjects.of(
                accountId,
                request.getRemoteAddr(),
                devices.known(accountId, request).orElse(null));
    }

    private UUID enrollingAccount(HttpServletRequest request) {
        return sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.ENROLMENT_REQUIRED)
                .map(PendingLogin::accountId)
                .orElseThrow(() -> new BadCredentialsException("no login waiting for enrolment"));
    }
}
