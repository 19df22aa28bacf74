package org.creneau.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every node signs access tokens with the configured key; without one, a node makes its own. */
class AccessTokenKeysTest {

    final AuthorizationServerConfiguration configuration = new AuthorizationServerConfiguration();

    static List<JWK> keysOf(com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> source)
            throws Exception {
        return source.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    }

    @Test
    void theConfiguredPrivateKeySignsAccessTokens() throws Exception {
        RSAKey shared = new RSAKeyGenerator(2048).keyID("shared-1").generate();

        List<JWK> keys = keysOf(configuration.accessTokenKeys(shared.toJSONString()));

        assertThat(keys).singleElement().satisfies(k -> assertThat(k.getKeyID()).isEqualTo("shared-1"));
        assertThat(keys.get(0).isPrivate()).isTrue();
    }

    @Test
    void withoutAConfiguredKeyANodeGeneratesOne() throws Exception {
        List<JWK> keys = keysOf(configuration.accessTokenKeys(""));

        assertThat(keys)
                .singleElement()
                .satisfies(k -> assertThat(k.isPrivate()).isTrue());
    }

    @Test
    void aPublicKeyCannotSign() throws Exception {
        RSAKey shared = new RSAKeyGenerator(2048).keyID("shared-2").generate();

        assertThatThrownBy(
                        () -> configuration.accessTokenKeys(shared.toPublicJWK().toJSONString()))
                .isInstanceOf(IllegalStateException.class);
    }
}
