package org.creneau.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.identity.internal.AccountSecurity;
import org.creneau.platform.InvalidInputException;
import org.springframework.stereotype.Service;

/**
 * A signed-in staff member's or platform admin's own security, for the workspace's pages: signing out
 * everywhere, new recovery codes, a new password. The same checks as the patients' {@link
 * AccountSettings}: the password policy of {@link Accounts}, the sign-in throttle.
 */
@Service
public class StaffSecurity {

    private final AccountSecurity security;
    private final Accounts accounts;

    StaffSecurity(AccountSecurity security, Accounts accounts) {
        this.security = security;
        this.accounts = accounts;
    }

    /** New recovery codes and what the change led to: the codes only when {@code DONE}. */
    public record NewRecoveryCodes(AccountChange change, List<String> codes) {}

    /**
     * Changes the password when the current one is right; a new password against the policy is an
     * {@link InvalidInputException} on {@code password}, checked first. The account's other sessions end.
     */
    public AccountChange changePassword(
            UUID accountId, String currentPassword, String newPassword, HttpServletRequest request) {
        accounts.checkPassword(newPassword);
        try {
            return security.changePassword(accountId, currentPassword, newPassword, request)
                    ? AccountChange.DONE
                    : AccountChange.WRONG_SECRET;
        } catch (AccountSecurity.Throttled e) {
            return new AccountChange(AccountChange.Outcome.THROTTLED, e.retryAfterSeconds());
        }
    }

    /** Replaces the recovery codes once a current code of the authenticator is given. */
    public NewRecoveryCodes replaceRecoveryCodes(UUID accountId, String code) {
        try {
            Optional<List<String>> codes = security.replaceRecoveryCodes(accountId, code);
            return codes.map(c -> new NewRecoveryCodes(AccountChange.DONE, c))
                    .orElseGet(() -> new NewRecoveryCodes(AccountChange.WRONG_SECRET, List.of()));
        } catch (AccountSecurity.Throttled e) {
            return new NewRecoveryCodes(
                    new AccountChange(AccountChange.Outcome.THROTTLED, e.retryAfterSeconds()), List.of());
        }
    }

    /** Ends every session of the account at once, this one included. */
    public void signOutEverywhere(UUID accountId, HttpServletRequest request) {
        security.signOutEverywhere(accountId, request);
    }
}
