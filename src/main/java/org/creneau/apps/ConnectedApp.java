package org.creneau.apps;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registered app: where its public keys are (a URL it publishes, or a key set given at
 * registration) and the scopes it may ever be granted.
 */
public record ConnectedApp(
        UUID id,
        String clientId,
        String name,
        String contactEmail,
        String jwksUrl,
        String jwks,
        List<String> allowedScopes,
        Status status,
        Instant createdAt) {

    public enum Status {
        ACTIVE,
        SUSPENDED
    }
}
