package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.creneau.access.SignedInAccount;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffRole;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Session login for the JSON API (the pages have {@code SignInPages}, on the same {@link LoginSteps}): email and password, then a second factor when
 * the account has one (or must enrol one), give a session cookie. Failed attempts are throttled
 * per account and per client address.
 */
@RestController
@RequestMapping("/api/v1")
class LoginController {

    private final LoginSteps steps;
    private final SessionSignIn sessions;

    LoginController(LoginSteps steps, SessionSignIn sessions) {
        this.steps = steps;
        this.sessions = sessions;
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
        LoginSteps.PasswordAccepted accepted = steps.password(body.email(), body.password(), request, response);
        return accepted.signedIn() != null ? view(accepted.signedIn()) : new SecondFactorRequired(accepted.next());
    }

    /** The second step of a login that answered {@code TOTP_REQUIRED}. */
    @PostMapping("/auth/login/second-factor")
    SignedIn secondFactor(
            @Valid @RequestBody SecondFactorRequest body, HttpServletRequest request, HttpServletResponse response) {
        return view(steps.secondFactor(body.code(), body.recoveryCode(), request, response));
    }

    @PostMapping("/auth/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        sessions.signOut(request);
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
