package org.creneau.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.creneau.access.TenantScope;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The access-token signing keys live in the database: every node signs with the same key, a token
 * from one node verifies on another, and a rotation, decided by one node, keeps the old key published
 * until its tokens have expired. Other nodes are further instances over the same database, each with
 * a clock of its own (the application's clock is left alone).
 */
@IntegrationTest
class TokenSigningKeysTests {

    @Autowired
    TokenSigningKeys application;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TenantScope scope;

    @Autowired
    Clock clock;

    @Test
    void aTokenSignedOnOneNodeVerifiesOnAnotherThatSignsWithTheSameKey() {
        TokenSigningKeys otherNode = node(new MutableClock(clock.instant()));

        Jwt token = sign(application, "app-on-node-a");

        assertThat(otherNode.current().getKeyID())
                .isEqualTo(application.current().getKeyID());
        assertThat(decoderOf(otherNode).decode(token.getTokenValue()).getSubject())
                .isEqualTo("app-on-node-a");
        assertThat(otherNode.published().getKeys()).allMatch(key -> key.isPrivate());
    }

    @Test
    void oneOfManyNodesRotatesAndTheOldKeyStaysPublishedUntilItsTokensHaveExpired() throws Exception {
        MutableClock later = new MutableClock(clock.instant().plus(Duration.ofDays(400)));
        List<TokenSigningKeys> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(node(later));
        }
        nodes.forEach(TokenSigningKeys::current);
        String before = nodes.get(0).current().getKeyID();
        Jwt oldToken = sign(nodes.get(0), "signed-before-rotation");

        List<Boolean> rotated = concurrently(nodes);

        assertThat(rotated).as("exactly one node rotates").containsOnlyOnce(true);
        later.advance(Duration.ofSeconds(2));
        TokenSigningKeys another = node(later);
        String after = another.current().getKeyID();
        assertThat(after).isNotEqualTo(before);
        assertThat(another.published().getKeyByKeyId(before))
                .as("old key still published")
                .isNotNull();
        assertThat(decoderOf(another).decode(oldToken.getTokenValue()).getSubject())
                .isEqualTo("signed-before-rotation");
        TokenSigningKeys stale = nodes.get(rotated.indexOf(false));
        assertThat(decoderOf(stale).decode(sign(another, "new").getTokenValue()).getSubject())
                .as("a node that cached the keys before the rotation learns the new one from the token's kid")
                .isEqualTo("new");

        later.advance(Duration.ofMinutes(16));
        assertThat(another.rotateIfDue()).isFalse();

        assertThat(node(later).published().getKeyByKeyId(before))
                .as("old key gone once its tokens expired")
                .isNull();
        assertThat(node(later).current().getKeyID()).isEqualTo(after);
    }

    private TokenSigningKeys node(Clock nodeClock) {
        return new TokenSigningKeys(
                jdbc, scope, nodeClock, "", Duration.ofDays(30), Duration.ofMinutes(15), Duration.ofSeconds(30));
    }

    private static Jwt sign(TokenSigningKeys keys, String subject) {
        Instant now = Instant.now();
        return new NimbusJwtEncoder(keys.signing())
                .encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).build(),
                        JwtClaimsSet.builder()
                                .subject(subject)
                                .issuedAt(now)
                                .expiresAt(now.plusSeconds(300))
                                .build()));
    }

    private static NimbusJwtDecoder decoderOf(TokenSigningKeys keys) {
        return NimbusJwtDecoder.withJwkSource(keys.verifying()).build();
    }

    private static List<Boolean> concurrently(List<TokenSigningKeys> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (TokenSigningKeys node : nodes) {
                calls.add(node::rotateIfDue);
            }
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
