package org.creneau.identity;

import java.util.UUID;
import org.creneau.identity.internal.AccountSecurity;
import org.springframework.stereotype.Service;

/**
 * The sessions of an account, for other modules: the guard ends those of a staff account it
 * contains. Sessions live in PostgreSQL, so ending them here ends them on every node; the account's
 * next request is a signed-out one.
 */
@Service
public class Sessions {

    private final AccountSecurity security;

    Sessions(AccountSecurity security) {
        this.security = security;
    }

    /** Ends every signed-in session of the account; returns how many. */
    public int endAll(UUID accountId) {
        return security.endEverySession(accountId);
    }
}
