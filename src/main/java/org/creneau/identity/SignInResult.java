package org.creneau.identity;

/**
 * What a sign-in step on a page led to, so that a page outside the identity module can choose what
 * to show without knowing how passwords, codes or throttling are checked.
 *
 * @param retryAfterSeconds when {@link Outcome#THROTTLED}, how long to wait; else 0
 */
public record SignInResult(Outcome outcome, long retryAfterSeconds) {

    /** The answer to one step of a sign-in. */
    public enum Outcome {
        SIGNED_IN,
        CODE_REQUIRED,
        ENROLMENT_REQUIRED,
        WRONG_CREDENTIALS,
        MALFORMED_CODE,
        NO_PENDING_SIGN_IN,
        THROTTLED
    }
}
