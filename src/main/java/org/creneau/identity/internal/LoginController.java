package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.identity.internal.LoginThrottle.Subject;
import org.creneau.platform.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Session login for the JSON API and the pages: email and password, then a second factor when
 * the account has one (or must enrol one), give a session cookie. Failed attempts are throttled
 * per account and per client address.
 */
@RestController
@RequestMapping("/api/v1")
class LoginController {

    private static final Logger log = LoggerFactory.getLogger(LoginController.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final PasswordEncoder passwords;
    private final SecondFactors secondFactors;
    private final LoginThrottle throttle;
    private final SessionSignIn sessions;
    private final String dummyHash;

    LoginController(
            JdbcClient jdbc,
            TenantScope scope,
            PasswordEncoder passwords,
            SecondFactors secondFactors,
            LoginThrottle throttle,
            SessionSignIn sessions) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.passwords = passwords;
        this.secondFactors = secondFactors;
        this.throttle = throttle;
        this.sessions = sessions;
        // Unknown addresses still pay for one hash check, so timing does not tell which exist.
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 128) String password) {}

    record SignedIn(UUID accountId, AccountKind kind, List<MembershipView> memberships) {}

    record MembershipView(UUID organizationId, StaffRole role, UUID practitionerId) {}

    /** The password was right; the session is not signed in until this step is done. */
    record SecondFactorRequired(PendingLogin.Step secondFactor) {}

    /** Exactly one of the two: a 6-digit code of the authenticator, or an unused recovery code. */
    record SecondFactorRequest(
            @Size(max = 12) String code, @Size(max = 40) String recoveryCode) {}

    record CsrfView(String headerName, String token) {}

    @GetMapping("/auth/csrf")
    CsrfView csrf(CsrfToken token) {
        return new CsrfView(token.getHeaderName(), token.getToken());
    }

    /**
     * Answers {@link SignedIn} when the account needs no second factor, else {@link
     * SecondFactorRequired} ({@code TOTP_REQUIRED} or {@code ENROLMENT_REQUIRED}) with the session
     * still not signed in.
     */
    @PostMapping("/auth/login")
    Object login(@Valid @RequestBody LoginRequest body, HttpServletRequest request, HttpServletResponse response) {
        Subject address = Subject.address(request.getRemoteAddr());
        record Found(UUID id, String hash, AccountKind kind, boolean disabled) {}
        Optional<Found> found = scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT id, password_hash, kind, disabled FROM account_for_login(:email)")
                        .param("email", body.email().trim())
                        .query((rs, i) -> new Found(
                                rs.getObject("id", UUID.class),
                                rs.getString("password_hash"),
                                AccountKind.valueOf(rs.getString("kind")),
                                rs.getBoolean("disabled")))
                        .optional());
        Subject account = found.map(f -> Subject.account(f.id())).orElseGet(() -> Subject.unknownEmail(body.email()));
        // Refused before the password is checked: a blocked guesser learns nothing, even from a right guess.
        throttle.check(account, address);
        boolean matches =
                passwords.matches(body.password(), found.map(Found::hash).orElse(dummyHash));
        if (found.isEmpty() || !matches || found.get().disabled()) {
            throttle.recordFailure(account, address);
            log.info("Failed login");
            throw new BadCredentialsException("bad credentials");
        }
        Found known = found.get();
        if (secondFactors.enabled(known.id())) {
            sessions.awaitSecondFactor(known.id(), PendingLogin.Step.TOTP_REQUIRED, request);
            return new SecondFactorRequired(PendingLogin.Step.TOTP_REQUIRED);
        }
        if (known.kind() != AccountKind.PATIENT) {
            // Staff and platform administrators must have a second factor: they enrol one now.
            sessions.awaitSecondFactor(known.id(), PendingLogin.Step.ENROLMENT_REQUIRED, request);
            return new SecondFactorRequired(PendingLogin.Step.ENROLMENT_REQUIRED);
        }
        throttle.recordSuccess(account);
        return view(sessions.signIn(known.id(), request, response));
    }

    /** The second step of a login that answered {@code TOTP_REQUIRED}. */
    @PostMapping("/auth/login/second-factor")
    SignedIn secondFactor(
            @Valid @RequestBody SecondFactorRequest body, HttpServletRequest request, HttpServletResponse response) {
        boolean hasCode = body.code() != null && !body.code().isBlank();
        boolean hasRecoveryCode =
                body.recoveryCode() != null && !body.recoveryCode().isBlank();
        if (hasCode == hasRecoveryCode) {
            throw new InvalidInputException("code", "give either a code or a recovery code");
        }
        if (hasCode && !body.code().strip().matches("^[0-9]{6}$")) {
            throw new InvalidInputException("code", "must be the 6 digits shown by the authenticator");
        }
        PendingLogin pending = sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.TOTP_REQUIRED)
                .orElseThrow(() -> new BadCredentialsException("no pending login"));
        Subject account = Subject.account(pending.accountId());
        Subject address = Subject.address(request.getRemoteAddr());
        throttle.check(account, address);
        boolean accepted = hasCode
                ? secondFactors.verifyCode(pending.accountId(), body.code().strip())
                : secondFactors.useRecoveryCode(pending.accountId(), body.recoveryCode());
        if (!accepted) {
            throttle.recordFailure(account, address);
            log.info("Failed second factor for account {}", pending.accountId());
            throw new BadCredentialsException("bad second factor");
        }
        if (!hasCode) {
            log.info("Account {} signed in with a recovery code", pending.accountId());
        }
        throttle.recordSuccess(account);
        return view(sessions.signIn(pending.accountId(), request, response));
    }

    @PostMapping("/auth/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    @GetMapping("/me")
    SignedIn me(Authentication authentication) {
        if (authentication == null || !(authentication.getPrincipal() instanceof SignedInAccount account)) {
            throw new BadCredentialsException("not signed in");
        }
        return view(account);
    }

    @ExceptionHandler(LoginThrottled.class)
    ResponseEntity<ProblemDetail> throttled(LoginThrottled e) {
        return e.response();
    }

    static SignedIn view(SignedInAccount a) {
        return new SignedIn(
                a.accountId(),
                a.kind(),
                a.memberships().stream()
                        .map(m -> new MembershipView(m.organizationId(), m.role(), m.practitionerId()))
                        .toList());
    }
}
