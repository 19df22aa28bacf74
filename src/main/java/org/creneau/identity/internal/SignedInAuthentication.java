package org.creneau.identity.internal;

import java.util.List;
import org.creneau.access.SignedInAccount;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A fully signed-in account. Its name is the account id: that is what the session table indexes
 * (never an email address), so all sessions of an account can be found and ended.
 */
final class SignedInAuthentication extends AbstractAuthenticationToken {

    private final SignedInAccount account;

    SignedInAuthentication(SignedInAccount account) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + account.kind().name())));
        this.account = account;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public SignedInAccount getPrincipal() {
        return account;
    }

    @Override
    public String getName() {
        return account.accountId().toString();
    }
}
