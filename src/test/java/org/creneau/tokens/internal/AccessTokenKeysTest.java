package org.creneau.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key given in configuration is the only one that signs and is published, and nothing is read
 * from the database; a public key cannot be given. (Keys kept in the database: TokenSigningKeysTests.)
 */
class AccessTokenKeysTest {

    static List<JWK> keysOf(com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> source)
            throws Exception {
        return source.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    }

    static TokenSigningKeys configured(String jwk) {
        // No database at all: a configured key must never need one.
        return new TokenSigningKeys(
                null,
                null,
                Clock.systemUTC(),
                jwk,
                Duration.ofDays(30),
                Duration.ofMinutes(15),
                Duration.ofSeconds(30));
    }

    @Test
    void theConfiguredPrivateKeyAloneSignsAndIsPublished() throws Exception {
        RSAKey shared = new RSAKeyGenerator(2048).keyID("shared-1").generate();
        TokenSigningKeys keys = configured(shared.toJSONString());

        assertThat(keysOf(keys.verifying()))
                .singleElement()
                .satisfies(k -> assertThat(k.getKeyID()).isEqualTo("shared-1"));
        assertThat(keysOf(keys.signing()))
                .singleElement()
                .satisfies(k -> assertThat(k.isPrivate()).isTrue());
        assertThat(keys.rotateIfDue())
                .as("a configured key is the operator's to rotate")
                .isFalse();
    }

    @Test
    void aPublicKeyCannotSign() throws Exception {
        RSAKey shared = new RSAKeyGenerator(2048).keyID("shared-2").generate();

        assertThatThrownBy(() -> configured(shared.toPublicJWK().toJSONString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("private RSA JWK");
    }
}
