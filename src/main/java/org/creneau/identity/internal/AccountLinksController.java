package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.creneau.access.AccessPolicy;
import org.creneau.identity.AccountLinks;
import org.creneau.identity.Accounts;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON API of mailed account links: asking for a password reset (the same answer whether the
 * address has an account or not), setting the new password with the link's token, verifying the
 * email address, and a patient asking for the verification link again.
 */
@RestController
@RequestMapping("/api/v1")
class AccountLinksController {

    private final AccountLinks links;
    private final AccessPolicy policy;

    AccountLinksController(AccountLinks links, AccessPolicy policy) {
        this.links = links;
        this.policy = policy;
    }

    record ResetRequest(@NotNull @Size(max = 254) String email) {}

    record NewPassword(
            @NotBlank @Size(max = 100) String token,

            @NotNull @Size(min = Accounts.MIN_PASSWORD_LENGTH, max = Accounts.MAX_PASSWORD_LENGTH)
            String password) {}

    record LinkToken(@NotBlank @Size(max = 100) String token) {}

    /** The one answer to a request for a link, whatever the address. */
    record Status(String status) {}

    record Verification(boolean verified) {}

    @PostMapping("/auth/password-reset")
    ResponseEntity<Status> requestReset(@Valid @RequestBody ResetRequest body, HttpServletRequest request) {
        links.requestPasswordReset(body.email(), request.getRemoteAddr());
        return ResponseEntity.accepted().body(new Status("check-your-email"));
    }

    @PostMapping("/auth/password-reset/confirm")
    ResponseEntity<?> reset(@Valid @RequestBody NewPassword body) {
        return switch (links.resetPassword(body.token(), body.password())) {
            case DONE -> ResponseEntity.ok(new Status("password-changed"));
            case INVALID_LINK -> invalidLink();
        };
    }

    @PostMapping("/auth/email-verification/confirm")
    ResponseEntity<?> verify(@Valid @RequestBody LinkToken body) {
        return links.verifyEmail(body.token()) ? ResponseEntity.ok(new Verification(true)) : invalidLink();
    }

    @GetMapping("/me/email-verification")
    Verification verification() {
        return new Verification(links.emailVerified(policy.requirePatient().accountId()));
    }

    @PostMapping("/me/email-verification")
    ResponseEntity<Status> sendAgain(HttpServletRequest request) {
        links.sendVerificationAgain(policy.requirePatient(), request.getRemoteAddr());
        return ResponseEntity.accepted().body(new Status("check-your-email"));
    }

    @ExceptionHandler(AccountLinks.TooManyRequests.class)
    ResponseEntity<ProblemDetail> tooMany(AccountLinks.TooManyRequests e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS,
                "Too many requests for a mailed link from this address. Try again later.");
        problem.setType(URI.create("https://creneau.org/problems/too-many-requests"));
        problem.setTitle("Too many requests");
        problem.setProperty("code", "too-many-requests");
        problem.setProperty("retryAfterSeconds", e.retryAfterSeconds());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        return new ResponseEntity<>(problem, headers, HttpStatus.TOO_MANY_REQUESTS);
    }

    /** An unknown, used or expired link: one answer for all three, 410. */
    private static ResponseEntity<ProblemDetail> invalidLink() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.GONE, "This link is unknown, was already used or has expired. Ask for a new one.");
        problem.setType(URI.create("https://creneau.org/problems/link-invalid"));
        problem.setTitle("Link not valid");
        problem.setProperty("code", "link-invalid");
        return ResponseEntity.status(HttpStatus.GONE)
                .header(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .body(problem);
    }
}
