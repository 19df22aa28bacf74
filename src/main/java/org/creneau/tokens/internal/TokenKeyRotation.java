package org.creneau.tokens.internal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks every hour whether the access-token signing key is due for rotation. Every node checks;
 * the database lock in {@link TokenSigningKeys#rotateIfDue} lets exactly one of them rotate.
 */
@Component
@ConditionalOnProperty(name = "creneau.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class TokenKeyRotation {

    private final TokenSigningKeys keys;

    TokenKeyRotation(TokenSigningKeys keys) {
        this.keys = keys;
    }

    @Scheduled(
            initialDelayString = "${creneau.connect.token-key-check:PT1H}",
            fixedDelayString = "${creneau.connect.token-key-check:PT1H}")
    void rotateWhenDue() {
        keys.rotateIfDue();
    }
}
