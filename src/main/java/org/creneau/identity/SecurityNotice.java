package org.creneau.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * Something the owner of an account must hear of, whatever their message settings (issue #13): a
 * sign-in from a device the account never signed in from, the second factor turned on or off, the
 * password changed. Identifiers only.
 */
public record SecurityNotice(UUID accountId, Kind kind, Instant occurredAt) {

    public enum Kind {
        NEW_DEVICE_SIGN_IN,
        SECOND_FACTOR_ON,
        SECOND_FACTOR_OFF,
        PASSWORD_CHANGED
    }
}
