package org.creneau.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.creneau.access.Caller;
import org.creneau.identity.internal.AccountSecurity;
import org.creneau.platform.InvalidInputException;
import org.springframework.stereotype.Service;

/**
 * A signed-in patient's own security settings, for the pages: password change, second factor on
 * and off, signing out everywhere. The same checks as the JSON API: the password policy of
 * {@link Accounts}, the enrolment of the API's second factor, the sign-in throttle.
 */
@Service
public class AccountSettings {

    private final AccountSecurity security;
    private final Accounts accounts;

    AccountSettings(AccountSecurity security, Accounts accounts) {
        this.security = security;
        this.accounts = accounts;
    }

    /**
     * Changes the password when the current one is right; a new password against the policy is an
     * {@link InvalidInputException} on {@code password}, checked before the current one. The
     * account's other sessions end.
     */
    public AccountChange changePassword(
            Caller.Patient me, String currentPassword, String newPassword, HttpServletRequest request) {
        accounts.checkPassword(newPassword);
        try {
            return security.changePassword(me.accountId(), currentPassword, newPassword, request)
                    ? AccountChange.DONE
                    : AccountChange.WRONG_SECRET;
        } catch (AccountSecurity.Throttled e) {
            return new AccountChange(AccountChange.Outcome.THROTTLED, e.retryAfterSeconds());
        }
    }

    public boolean secondFactorEnabled(Caller.Patient me) {
        return security.secondFactorEnabled(me.accountId());
    }

    /** What an authenticator app needs: the URI its QR code encodes, and the secret to type by hand. */
    public record Enrolment(String otpauthUri, String secret) {}

    /** A new, unconfirmed secret (replacing an earlier unconfirmed one); a conflict if one is already on. */
    public Enrolment startSecondFactor(Caller.Patient me) {
        AccountSecurity.Enrolment started = security.startSecondFactor(me.accountId());
        return new Enrolment(started.otpauthUri(), started.secret());
    }

    /** The recovery codes, to show once, or empty when the code is wrong. */
    public Optional<List<String>> confirmSecondFactor(Caller.Patient me, String code) {
        return security.confirmSecondFactor(me.accountId(), code);
    }

    /** Turns the second factor off with a current code, or an unused recovery code. */
    public AccountChange turnOffSecondFactor(Caller.Patient me, String code, String recoveryCode) {
        try {
            return security.turnOffSecondFactor(me.accountId(), code, recoveryCode)
                    ? AccountChange.DONE
                    : AccountChange.WRONG_SECRET;
        } catch (AccountSecurity.Throttled e) {
            return new AccountChange(AccountChange.Outcome.THROTTLED, e.retryAfterSeconds());
        }
    }

    /** Ends every session of the account at once, this one included. */
    public void signOutEverywhere(Caller.Patient me, HttpServletRequest request) {
        security.signOutEverywhere(me.accountId(), request);
    }
}
