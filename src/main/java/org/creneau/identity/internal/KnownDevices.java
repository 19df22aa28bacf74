package org.creneau.identity.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.SecurityNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The devices an account completed a sign-in from. A device is a browser's long-lived cookie holding
 * 256 random bits; only the SHA-256 of that value is stored, so the table cannot be turned back into
 * cookies, and a value nobody was given matches nothing (it needs no signature: it cannot be guessed).
 * A known device is admitted with the right secret while unknown ones are throttled; a sign-in from a
 * new device is told to the account's owner, unless it is the account's first.
 */
@Component
class KnownDevices {

    static final String COOKIE = "CRENEAU_DEVICE";

    private static final Logger log = LoggerFactory.getLogger(KnownDevices.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final LoginSettings settings;
    private final ApplicationEventPublisher events;

    KnownDevices(
            JdbcClient jdbc, TenantScope scope, Clock clock, LoginSettings settings, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.settings = settings;
        this.events = events;
    }

    /** The hash of the request's device token when the account signed in from that device before. */
    Optional<String> known(UUID accountId, HttpServletRequest request) {
        Optional<String> hash = presentedHash(request);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        boolean known = scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT EXISTS (SELECT 1 FROM known_device WHERE account_id = :a AND token_hash = :h)")
                        .param("a", accountId)
                        .param("h", hash.get())
                        .query(Boolean.class)
                        .single());
        return known ? hash : Optional.empty();
    }

    /**
     * A full sign-in from this request's device: a device the account knows is seen again; any other
     * gets a fresh token (never one it brought: a value planted in the browser stays unknown), is
     * remembered, and is told to the owner unless it is the account's first device.
     */
    void signedIn(UUID accountId, HttpServletRequest request, HttpServletResponse response) {
        Instant now = clock.instant();
        Optional<String> known = known(accountId, request);
        if (known.isPresent()) {
            scope.write(
                    Caller.ANONYMOUS,
                    () -> jdbc.sql(
                                    "UPDATE known_device SET last_seen_at = :now WHERE account_id = :a AND token_hash = :h")
                            .param("now", now.atOffset(ZoneOffset.UTC))
                            .param("a", accountId)
                            .param("h", known.get())
                            .update());
            return;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        boolean firstDevice = scope.write(new Caller.AccountOwner(accountId), () -> {
            boolean first = !jdbc.sql("SELECT EXISTS (SELECT 1 FROM known_device WHERE account_id = :a)")
                    .param("a", accountId)
                    .query(Boolean.class)
                    .single();
            jdbc.sql("""
                            INSERT INTO known_device (account_id, token_hash, first_seen_at, last_seen_at)
                            VALUES (:a, :h, :now, :now)
                            """)
                    .param("a", accountId)
                    .param("h", Sha256.hex(token))
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            if (!first) {
                events.publishEvent(new SecurityNotice(accountId, SecurityNotice.Kind.NEW_DEVICE_SIGN_IN, now));
            }
            return first;
        });
        response.addHeader(
                "Set-Cookie",
                ResponseCookie.from(COOKIE, token)
                        .path("/")
                        .httpOnly(true)
                        .secure(request.isSecure())
                        .sameSite("Lax")
                        .maxAge(settings.deviceLifetime())
                        .build()
                        .toString());
        log.info("Account {} signed in from a new device{}", accountId, firstDevice ? " (its first)" : "");
    }

    private static Optional<String> presentedHash(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            // 32 bytes in unpadded base64url: anything else was never issued here.
            if (COOKIE.equals(cookie.getName())
                    && cookie.getValue() != null
                    && cookie.getValue().matches("^[A-Za-z0-9_-]{43}$")) {
                return Optional.of(Sha256.hex(cookie.getValue()));
            }
        }
        return Optional.empty();
    }
}
