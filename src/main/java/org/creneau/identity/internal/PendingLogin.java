package org.creneau.identity.internal;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * What a session holds between a correct password and the second factor: the account and when
 * the password was given, nothing that authenticates. It allows only the next step.
 */
record PendingLogin(UUID accountId, Instant passwordAt, Step next) implements Serializable {

    static final String ATTRIBUTE = "creneau.login.pending";

    /** The answer to the password, and the only thing the session may do next. */
    enum Step {
        TOTP_REQUIRED,
        ENROLMENT_REQUIRED
    }
}
