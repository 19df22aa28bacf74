package org.creneau.identity;

import java.util.UUID;
import org.creneau.identity.internal.AccountSecurity;
import org.springframework.stereotype.Service;

/**
 * Ends an account's sessions on behalf of another module: the guard containing a staff account ends
 * every session it has open, on every node (sessions live in PostgreSQL).
 */
@Service
public class AccountSessions {

    private final AccountSecurity security;

    AccountSessions(AccountSecurity security) {
        this.security = security;
    }

    /** Ends every session of the account at once; returns how many there were. */
    public int endAll(UUID accountId) {
        return security.endEverySession(accountId);
    }
}
