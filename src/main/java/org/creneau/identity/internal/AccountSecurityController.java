package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.creneau.access.AccessPolicy;
import org.creneau.identity.AccountChange;
import org.creneau.identity.AccountSettings;
import org.creneau.platform.InvalidInputException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A signed-in patient's own security over the JSON API, on the pages' {@link AccountSettings}:
 * password change, turning the second factor off, signing out everywhere. Enrolment is {@code
 * SecondFactorEnrolmentController}'s.
 */
@RestController
@RequestMapping("/api/v1")
class AccountSecurityController {

    private final AccountSettings settings;
    private final AccessPolicy policy;

    AccountSecurityController(AccountSettings settings, AccessPolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    record PasswordChange(
            @NotNull @Size(max = 128) String currentPassword,
            @NotNull @Size(max = 128) String newPassword) {}

    /** Exactly one of the two: a 6-digit code of the authenticator, or an unused recovery code. */
    record SecondFactorOff(
            @Size(max = 12) String code, @Size(max = 40) String recoveryCode) {}

    /** 204 once changed; the account's other sessions end. A wrong current password is a 400 on its field. */
    @PostMapping("/me/password")
    ResponseEntity<?> changePassword(@Valid @RequestBody PasswordChange body, HttpServletRequest request) {
        AccountChange change =
                settings.changePassword(policy.requirePatient(), body.currentPassword(), body.newPassword(), request);
        return answer(change, "currentPassword", "is not the account's current password");
    }

    @PostMapping("/auth/mfa/disable")
    ResponseEntity<?> turnOffSecondFactor(@Valid @RequestBody SecondFactorOff body) {
        AccountChange change = settings.turnOffSecondFactor(policy.requirePatient(), body.code(), body.recoveryCode());
        return answer(change, "code", "is not a current code nor an unused recovery code");
    }

    /** Ends every session of the account, this one included. */
    @PostMapping("/auth/logout-everywhere")
    ResponseEntity<Void> signOutEverywhere(HttpServletRequest request) {
        settings.signOutEverywhere(policy.requirePatient(), request);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<?> answer(AccountChange change, String field, String detail) {
        return switch (change.outcome()) {
            case DONE -> ResponseEntity.noContent().build();
            case THROTTLED -> {
                ResponseEntity<ProblemDetail> throttled =
                        new LoginThrottled(Duration.ofSeconds(change.retryAfterSeconds())).response();
                yield throttled;
            }
            case WRONG_SECRET -> throw new InvalidInputException(field, detail);
        };
    }
}
