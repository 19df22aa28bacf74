package org.creneau.tokens.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Remembers every accepted client assertion until it expires, in PostgreSQL so that every node
 * sees it: an assertion replayed, on this node or another, is refused.
 */
@Component
class ClientAssertionReplayGuard {

    private final JdbcClient jdbc;
    private final TenantScope scope;

    ClientAssertionReplayGuard(JdbcClient jdbc, TenantScope scope) {
        this.jdbc = jdbc;
        this.scope = scope;
    }

    /**
     * Records the assertion's {@code jti}; false if the client already used it. Rows are kept
     * {@code tolerance} past the assertion's expiry, as long as it could still be accepted.
     */
    boolean firstUse(String clientId, String jti, Instant expiresAt, Instant now, Duration tolerance) {
        return scope.write(Caller.ANONYMOUS, () -> {
            jdbc.sql("DELETE FROM client_assertion_jti WHERE expires_at < :now")
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            int inserted = jdbc.sql("""
                            INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES (:client, :jti, :expires)
                            ON CONFLICT (client_id, jti) DO NOTHING
                            """)
                    .param("client", clientId)
                    .param("jti", jti)
                    .param("expires", expiresAt.plus(tolerance).atOffset(ZoneOffset.UTC))
                    .update();
            return inserted == 1;
        });
    }
}
