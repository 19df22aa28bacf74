package org.creneau.tokens.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The keys that sign access tokens, the same on every node: the one given in configuration
 * ({@code creneau.connect.token-signing-key}), or else the ones kept in the database. There, the
 * first node to start creates one, and every {@code rotation} one node replaces it; the replaced key
 * stays published for {@code overlap} (longer than a token lives), then is deleted. Each node reads
 * the keys again every {@code refresh}, and at once (at most once a second) when a token names a key
 * it does not know yet: a token from a node that has just rotated is never refused.
 */
@Component
class TokenSigningKeys {

    private static final Logger log = LoggerFactory.getLogger(TokenSigningKeys.class);
    /** Two nodes creating or rotating at once take turns on this lock, and the second finds the key made. */
    private static final long LOCK = 0x746f6b656e4b6579L;

    private static final Duration UNKNOWN_KID_PAUSE = Duration.ofSeconds(1);

    private record Loaded(RSAKey current, JWKSet published, Instant at) {}

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final RSAKey configured;
    private final Duration rotation;
    private final Duration overlap;
    private final Duration refresh;
    private volatile Loaded loaded;

    TokenSigningKeys(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            @Value("${creneau.connect.token-signing-key:}") String configured,
            @Value("${creneau.connect.token-key-rotation:P30D}") Duration rotation,
            @Value("${creneau.connect.token-key-overlap:PT15M}") Duration overlap,
            @Value("${creneau.connect.token-keys-refresh:PT30S}") Duration refresh) {
        if (overlap.compareTo(ConnectedAppClients.ACCESS_TOKEN_LIFETIME) <= 0) {
            throw new IllegalStateException("creneau.connect.token-key-overlap must be longer than a token lives ("
                    + ConnectedAppClients.ACCESS_TOKEN_LIFETIME + ")");
        }
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.configured = configured.isBlank() ? null : parse(configured);
        this.rotation = rotation;
        this.overlap = overlap;
        this.refresh = refresh;
    }

    /** Signs with the current key only (an encoder refuses a choice of several). */
    JWKSource<SecurityContext> signing() {
        return (selector, context) -> selector.select(new JWKSet(current()));
    }

    /** Every published key, read again when a token names a key this node has not seen yet. */
    JWKSource<SecurityContext> verifying() {
        return (selector, context) -> {
            Set<String> kids = selector.getMatcher().getKeyIDs();
            String kid = kids != null && kids.size() == 1 ? kids.iterator().next() : null;
            return selector.select(publishedWith(kid));
        };
    }

    /** The key new tokens are signed with. */
    RSAKey current() {
        return fresh().current();
    }

    /** Every key a token may still be signed with, as published at {@code /oauth2/jwks}. */
    JWKSet published() {
        return fresh().published();
    }

    /** The published keys, read again first if {@code kid} is not among them (a key made on another node). */
    JWKSet publishedWith(String kid) {
        Loaded now = fresh();
        if (kid == null || configured != null || now.published().getKeyByKeyId(kid) != null) {
            return now.published();
        }
        if (now.at().plus(UNKNOWN_KID_PAUSE).isAfter(clock.instant())) {
            return now.published();
        }
        return reload().published();
    }

    /**
     * Replaces the current key when it is older than the rotation period, and deletes keys retired
     * before now. Returns true when this call made a new key. Safe on every node at once.
     */
    boolean rotateIfDue() {
        if (configured != null) {
            return false;
        }
        Instant now = clock.instant();
        boolean rotated = scope.write(Caller.ANONYMOUS, () -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:lock)")
                    .param("lock", LOCK)
                    .query()
                    .singleRow();
            jdbc.sql("DELETE FROM token_signing_key WHERE retires_at <= :now")
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            Instant createdAt = jdbc.sql("SELECT created_at FROM token_signing_key WHERE retires_at IS NULL")
                    .query(Instant.class)
                    .optional()
                    .orElse(null);
            if (createdAt != null && createdAt.plus(rotation).isAfter(now)) {
                return false;
            }
            jdbc.sql("UPDATE token_signing_key SET retires_at = :retires WHERE retires_at IS NULL")
                    .param("retires", now.plus(overlap).atOffset(ZoneOffset.UTC))
                    .update();
            insert(generate(), now);
            return true;
        });
        if (rotated) {
            log.info("Access-token signing key rotated");
            reload();
        }
        return rotated;
    }

    private Loaded fresh() {
        Loaded now = loaded;
        if (now == null || !now.at().plus(refresh).isAfter(clock.instant())) {
            return reload();
        }
        return now;
    }

    private synchronized Loaded reload() {
        Instant at = clock.instant();
        if (configured != null) {
            loaded = new Loaded(configured, new JWKSet(configured), at);
            return loaded;
        }
        List<RSAKey> keys = readKeys(at);
        if (keys.isEmpty()) {
            // The first start on this database: one node creates the key, the others find it.
            rotateIfDue();
            keys = readKeys(at);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("no access-token signing key in the database");
        }
        loaded = new Loaded(keys.get(0), new JWKSet(new ArrayList<JWK>(keys)), at);
        return loaded;
    }

    /** Keys still published, the current one first. */
    private List<RSAKey> readKeys(Instant now) {
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                        SELECT jwk FROM token_signing_key
                        WHERE retires_at IS NULL OR retires_at > :now
                        ORDER BY retires_at IS NULL DESC, created_at DESC
                        """).param("now", now.atOffset(ZoneOffset.UTC)).query(String.class).list().stream()
                        .map(TokenSigningKeys::parse)
                        .toList());
    }

    private void insert(RSAKey key, Instant now) {
        jdbc.sql("INSERT INTO token_signing_key (kid, jwk, created_at) VALUES (:kid, :jwk, :at)")
                .param("kid", key.getKeyID())
                .param("jwk", key.toJSONString())
                .param("at", now.atOffset(ZoneOffset.UTC))
                .update();
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an RSA key", e);
        }
    }

    private static RSAKey parse(String jwk) {
        try {
            RSAKey key = RSAKey.parse(jwk);
            if (!key.isPrivate() || key.getKeyID() == null) {
                throw new IllegalStateException("an access-token signing key must be a private RSA JWK with a kid");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("an access-token signing key is not an RSA JWK", e);
        }
    }
}
