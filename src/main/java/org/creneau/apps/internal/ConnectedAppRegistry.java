package org.creneau.apps.internal;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.ConnectedAppChanged;
import org.creneau.apps.ConnectedApps;
import org.creneau.apps.SmartScope;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The platform's registry of connected apps. Apps are platform data (no organization): they are
 * read and changed with no organization set for the transaction.
 */
@Service
class ConnectedAppRegistry implements ConnectedApps {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ConnectedAppRegistry(JdbcClient jdbc, TenantScope scope, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.events = events;
        this.clock = clock;
    }

    record Registration(String name, String contact, String jwksUrl, Map<String, Object> jwks, List<String> scopes) {}

    ConnectedApp register(Registration r, UUID actor) {
        String name = r.name() == null ? "" : r.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidInputException("name", "must have 1 to 200 characters");
        }
        String contact = r.contact() == null ? "" : r.contact().trim();
        if (contact.length() > 254 || !EMAIL.matcher(contact).matches()) {
            throw new InvalidInputException("contact", "must be an email address");
        }
        if ((r.jwksUrl() == null) == (r.jwks() == null)) {
            throw new InvalidInputException("jwksUrl", "give either jwksUrl or jwks, not both");
        }
        String jwksUrl = r.jwksUrl() == null ? null : checkJwksUrl(r.jwksUrl().trim());
        String jwks = r.jwks() == null ? null : checkInlineJwks(r.jwks());
        List<String> scopes = SmartScope.values(SmartScope.parseAll(r.scopes(), "scopes"));
        Instant now = clock.instant();
        ConnectedApp app = new ConnectedApp(
                UUID.randomUUID(),
                UUID.randomUUID().toString(),
                name,
                contact,
                jwksUrl,
                jwks,
                scopes,
                ConnectedApp.Status.ACTIVE,
                now);
        scope.write(Caller.ANONYMOUS, () -> {
            jdbc.sql("""
                            INSERT INTO connected_app (id, client_id, name, contact_email, jwks_url, jwks,
                                   allowed_scopes, status, created_at, updated_at)
                            VALUES (:id, :clientId, :name, :contact, :jwksUrl, CAST(:jwks AS jsonb),
                                   CAST(:scopes AS text[]), 'ACTIVE', :now, :now)
                            """)
                    .param("id", app.id())
                    .param("clientId", app.clientId())
                    .param("name", name)
                    .param("contact", contact)
                    .param("jwksUrl", jwksUrl, java.sql.Types.VARCHAR)
                    .param("jwks", jwks, java.sql.Types.VARCHAR)
                    .param("scopes", scopes.toArray(String[]::new))
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            events.publishEvent(new ConnectedAppChanged(ConnectedAppChanged.Kind.REGISTERED, app.id(), actor, now));
        });
        return app;
    }

    Page<ConnectedApp> list(Paging paging) {
        return scope.read(Caller.ANONYMOUS, () -> {
            long total = jdbc.sql("SELECT count(*) FROM connected_app")
                    .query(Long.class)
                    .single();
            List<ConnectedApp> items = jdbc.sql(SELECT + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                    .param("limit", paging.size())
                    .param("offset", paging.offset())
                    .query((rs, i) -> app(rs))
                    .list();
            return Page.of(items, paging, total);
        });
    }

    ConnectedApp suspend(UUID appId, UUID actor) {
        return setStatus(appId, ConnectedApp.Status.SUSPENDED, ConnectedAppChanged.Kind.SUSPENDED, actor);
    }

    ConnectedApp reactivate(UUID appId, UUID actor) {
        return setStatus(appId, ConnectedApp.Status.ACTIVE, ConnectedAppChanged.Kind.REACTIVATED, actor);
    }

    private ConnectedApp setStatus(UUID appId, ConnectedApp.Status target, ConnectedAppChanged.Kind kind, UUID actor) {
        Instant now = clock.instant();
        return scope.write(Caller.ANONYMOUS, () -> {
            ConnectedApp app = jdbc.sql(SELECT + " WHERE id = :id FOR UPDATE")
                    .param("id", appId)
                    .query((rs, i) -> app(rs))
                    .optional()
                    .orElseThrow(() -> new NotFoundException("connected app"));
            if (app.status() == target) {
                return app;
            }
            jdbc.sql("UPDATE connected_app SET status = :status, updated_at = :now WHERE id = :id")
                    .param("id", appId)
                    .param("status", target.name())
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            events.publishEvent(new ConnectedAppChanged(kind, appId, actor, now));
            return byId(appId).orElseThrow();
        });
    }

    /** Joins the caller's transaction when there is one. */
    @Override
    public Optional<ConnectedApp> byId(UUID appId) {
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql(SELECT + " WHERE id = :id")
                        .param("id", appId)
                        .query((rs, i) -> app(rs))
                        .optional());
    }

    @Override
    public Optional<ConnectedApp> byClientId(String clientId) {
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql(SELECT + " WHERE client_id = :clientId")
                        .param("clientId", clientId)
                        .query((rs, i) -> app(rs))
                        .optional());
    }

    /** An app's active grants across organizations (none while the app is suspended): ids, scopes, limits. */
    @Override
    public List<ActiveGrant> activeGrants(UUID appId) {
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT * FROM connected_app_active_grants(:app)")
                        .param("app", appId)
                        .query((rs, i) -> new ActiveGrant(
                                rs.getObject("grant_id", UUID.class),
                                rs.getObject("organization_id", UUID.class),
                                strings(rs.getArray("scopes")),
                                AppGrants.limits(rs),
                                rs.getBoolean("contact_details")))
                        .list());
    }

    private static final String SELECT = """
            SELECT id, client_id, name, contact_email, jwks_url, jwks::text AS jwks, allowed_scopes, status, created_at
              FROM connected_app""";

    private static ConnectedApp app(ResultSet rs) throws SQLException {
        return new ConnectedApp(
                rs.getObject("id", UUID.class),
                rs.getString("client_id"),
                rs.getString("name"),
                rs.getString("contact_email"),
                rs.getString("jwks_url"),
                rs.getString("jwks"),
                strings(rs.getArray("allowed_scopes")),
                ConnectedApp.Status.valueOf(rs.getString("status")),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    /** HTTPS, or plain HTTP on the machine itself (development and tests). */
    private static String checkJwksUrl(String url) {
        try {
            URI uri = URI.create(url);
            boolean https = "https".equals(uri.getScheme());
            boolean local = "http".equals(uri.getScheme()) && LOCAL_HOSTS.contains(uri.getHost());
            if (url.length() <= 2000 && uri.getHost() != null && (https || local)) {
                return uri.toString();
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidInputException("jwksUrl", "must be an https URL");
    }

    /** A key set of public RSA or P-384 EC keys; a private key here would be a leak, so it is refused. */
    private static String checkInlineJwks(Map<String, Object> json) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new InvalidInputException("jwks", "must be a JSON Web Key Set");
        }
        if (set.getKeys().isEmpty() || set.getKeys().size() > 20) {
            throw new InvalidInputException("jwks", "must hold 1 to 20 keys");
        }
        for (JWK key : set.getKeys()) {
            if (key.isPrivate()) {
                throw new InvalidInputException("jwks", "must hold public keys only");
            }
            boolean rsa = key instanceof com.nimbusds.jose.jwk.RSAKey && key.size() >= 2048;
            boolean p384 = key instanceof com.nimbusds.jose.jwk.ECKey ec
                    && com.nimbusds.jose.jwk.Curve.P_384.equals(ec.getCurve());
            if (!rsa && !p384) {
                throw new InvalidInputException(
                        "jwks", "keys must be RSA of 2048 bits or more (RS384) or EC P-384 (ES384)");
            }
        }
        return set.toString(true);
    }
}
