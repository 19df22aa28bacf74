package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.SignedInAccount;
import org.creneau.identity.SecurityNotice;
import org.creneau.identity.internal.SecondFactors.Enrolment;
import org.creneau.platform.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enrolment of a TOTP second factor: by a signed-in account that chooses to (a patient), or by a
 * staff account in the middle of a login that answered {@code ENROLMENT_REQUIRED}, which is
 * signed in once the first code confirms the enrolment.
 */
@RestController
@RequestMapping("/api/v1/auth/mfa/enrolment")
class SecondFactorEnrolmentController {

    private static final Logger log = LoggerFactory.getLogger(SecondFactorEnrolmentController.class);

    private final SecondFactors secondFactors;
    private final SessionSignIn sessions;
    private final LoginSteps steps;
    private final SecurityNotices notices;

    SecondFactorEnrolmentController(
            SecondFactors secondFactors, SessionSignIn sessions, LoginSteps steps, SecurityNotices notices) {
        this.notices = notices;
        this.secondFactors = secondFactors;
        this.sessions = sessions;
        this.steps = steps;
    }

    record Confirmation(@NotBlank @Size(max = 12) String code) {}

    /** Shown once: each works a single time in place of a code, when the authenticator is lost. */
    record RecoveryCodes(List<String> recoveryCodes) {}

    @PostMapping
    Enrolment start(HttpServletRequest request) {
        Enrolling enrolling = enrollingAccount(request);
        return enrolling.duringLogin() ? steps.startEnrolment(request) : secondFactors.start(enrolling.accountId());
    }

    @PostMapping("/confirm")
    RecoveryCodes confirm(
            @Valid @RequestBody Confirmation body, HttpServletRequest request, HttpServletResponse response) {
        Enrolling enrolling = enrollingAccount(request);
        // Part of a login, the steps count a wrong code like a wrong password and sign the session in.
        Optional<List<String>> codes = enrolling.duringLogin()
                ? steps.confirmEnrolment(body.code(), request, response)
                : secondFactors.confirm(enrolling.accountId(), body.code().strip());
        if (codes.isEmpty()) {
            throw new InvalidInputException("code", "is not the current code of the authenticator");
        }
        if (!enrolling.duringLogin()) {
            log.info("Account {} enrolled a second factor", enrolling.accountId());
            notices.tell(enrolling.accountId(), SecurityNotice.Kind.SECOND_FACTOR_ON);
        }
        return new RecoveryCodes(codes.get());
    }

    @ExceptionHandler(LoginThrottled.class)
    ResponseEntity<ProblemDetail> throttled(LoginThrottled e) {
        return e.response();
    }

    private record Enrolling(UUID accountId, boolean duringLogin) {}

    /** A signed-in account, or a login waiting for enrolment; a login waiting for a code may not enrol. */
    private Enrolling enrollingAccount(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInAccount account) {
            return new Enrolling(account.accountId(), false);
        }
        return sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.ENROLMENT_REQUIRED)
                .map(p -> new Enrolling(p.accountId(), true))
                .orElseThrow(() -> new BadCredentialsException("not signed in"));
    }
}
