/** Identity: accounts, passwords, login and the session's principal. */
@OwnsTables({
    "account",
    "staff_member",
    "account_totp",
    "recovery_code",
    "login_throttle",
    "known_device",
    "account_link",
    "account_link_request",
    "staff_invitation",
    "staff_invitation_right",
    "spring_session",
    "spring_session_attributes"
})
package org.creneau.identity;

import org.creneau.platform.OwnsTables;
