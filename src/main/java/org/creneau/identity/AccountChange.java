package org.creneau.identity;

/**
 * What a change that needs a secret (the current password, or a code of the authenticator) led
 * to, so that a page can say it without knowing how secrets are checked or attempts throttled.
 *
 * @param retryAfterSeconds when {@link Outcome#THROTTLED}, how long to wait; else 0
 */
public record AccountChange(Outcome outcome, long retryAfterSeconds) {

    /** The answer to one change. */
    public enum Outcome {
        DONE,
        WRONG_SECRET,
        THROTTLED
    }

    static final AccountChange DONE = new AccountChange(Outcome.DONE, 0);
    static final AccountChange WRONG_SECRET = new AccountChange(Outcome.WRONG_SECRET, 0);
}
