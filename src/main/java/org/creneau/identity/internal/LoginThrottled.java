package org.creneau.identity.internal;

import java.net.URI;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Too many failed sign-in attempts: answered 429 with Retry-After, before any password is checked. */
class LoginThrottled extends RuntimeException {

    private final Duration retryAfter;

    LoginThrottled(Duration retryAfter) {
        super("sign-in throttled");
        this.retryAfter = retryAfter;
    }

    long retryAfterSeconds() {
        // Rounded up: a client waiting exactly this long is never refused again for the same block.
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    ResponseEntity<ProblemDetail> response() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS, "Too many failed sign-in attempts. Try again later.");
        problem.setType(URI.create("https://creneau.org/problems/too-many-attempts"));
        problem.setTitle("Too many attempts");
        problem.setProperty("code", "too-many-attempts");
        problem.setProperty("retryAfterSeconds", retryAfterSeconds());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
        return new ResponseEntity<>(problem, headers, HttpStatus.TOO_MANY_REQUESTS);
    }
}
