package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApps;
import org.creneau.tokens.TokenEndpointAddress;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * R4 Subscription (rest-hook) on Appointment changes, for practice software that wants to stay in
 * sync without polling. A subscription belongs to one grant: it sees only that grant's agendas, is
 * read, listed and deleted only by the app holding the grant, and stops when the grant does. The
 * server makes the signing secret and gives it once, in the answer to the creation.
 */
@Component
class FhirSubscriptions implements IResourceProvider {

    static final String SCOPE = "system/Subscription.crds";
    static final String SECRET_EXTENSION = "https://creneau.org/fhir/StructureDefinition/subscription-secret";
    static final String PAYLOAD = "application/fhir+json";
    static final int MAX_COUNT = 50;

    /** Each subscription is a fan-out of every change: a grant holds a few, not thousands. */
    static final int MAX_PER_GRANT = 10;

    /** R4 requires a reason; the app's own text is not kept (it could hold anything), this one is answered. */
    static final String REASON = "Appointment changes in the granted agendas";

    private static final Pattern CRITERIA =
            Pattern.compile("Appointment\\??|Appointment\\?(?:actor|practitioner)=Practitioner/([0-9a-fA-F-]{36})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConnectedApps registry;
    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final GrantedAgendas agendas;
    private final RestHookEndpoints endpoints;
    private final TokenEndpointAddress address;
    private final Clock clock;

    FhirSubscriptions(
            ConnectedApps registry,
            TenantScope scope,
            JdbcClient jdbc,
            GrantedAgendas agendas,
            RestHookEndpoints endpoints,
            TokenEndpointAddress address,
            Clock clock) {
        this.registry = registry;
        this.scope = scope;
        this.jdbc = jdbc;
        this.agendas = agendas;
        this.endpoints = endpoints;
        this.address = address;
        this.clock = clock;
    }

    @Override
    public Class<Subscription> getResourceType() {
        return Subscription.class;
    }

    /**
     * Creates an active subscription. Criteria {@code Appointment?} covers every agenda of the grant,
     * {@code Appointment?actor=Practitioner/<id>} one of them; the endpoint is checked against
     * private addresses now, and again before each delivery.
     */
    @Create
    public MethodOutcome create(@ResourceParam Subscription body, RequestDetails request) {
        AppToken token = AppToken.current(registry);
        // A notification carries the appointment, so the grant must also let the app read appointments.
        List<ActiveGrant> grants = token.requireScope(SCOPE).stream()
                .filter(g -> g.scopes().contains(FhirAppointments.SCOPE_READ))
                .toList();
        if (grants.isEmpty()) {
            throw new ForbiddenOperationException("scope " + FhirAppointments.SCOPE_READ + " is also needed");
        }
        if (body.hasStatus()
                && body.getStatus() != Subscription.SubscriptionStatus.REQUESTED
                && body.getStatus() != Subscription.SubscriptionStatus.ACTIVE) {
            throw new InvalidRequestException("Subscription.status must be requested");
        }
        if (body.hasEnd()) {
            throw new InvalidRequestException("Subscription.end is not supported: delete the subscription instead");
        }
        Subscription.SubscriptionChannelComponent channel = body.getChannel();
        if (channel.getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            throw new InvalidRequestException("Subscription.channel.type must be rest-hook");
        }
        if (channel.hasHeader()) {
            throw new InvalidRequestException(
                    "Subscription.channel.header is not supported: verify the X-Creneau-Signature header instead");
        }
        String payload = channel.hasPayload() ? channel.getPayload().trim() : null;
        if (payload != null && !PAYLOAD.equals(payload)) {
            throw new InvalidRequestException(
                    "Subscription.channel.payload must be " + PAYLOAD + ", or left out for id-only notifications");
        }
        UUID practitioner = criteria(body.getCriteria());
        String endpoint;
        try {
            endpoint = endpoints.check(channel.getEndpoint()).uri().toString();
        } catch (RestHookEndpoints.Refused e) {
            throw new InvalidRequestException("Subscription.channel.endpoint: " + e.getMessage());
        }
        ActiveGrant grant = grantFor(grants, practitioner);
        String fhirBase = address.configured() != null ? address.configured() + "/fhir" : request.getFhirServerBase();
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        Instant now = clock.instant();
        Row row = new Row(id, practitioner, endpoint, payload, "ACTIVE", null, now, now);
        boolean created = scope.write(new Caller.System(grant.organizationId()), () -> {
            // One grant's creations in turn, so two at once cannot both take the last place.
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:grant, 0))")
                    .param("grant", "subscription:" + grant.grantId())
                    .query()
                    .singleRow();
            long held = jdbc.sql("SELECT count(*) FROM subscription WHERE grant_id = :grant")
                    .param("grant", grant.grantId())
                    .query(Long.class)
                    .single();
            if (held >= MAX_PER_GRANT) {
                return false;
            }
            jdbc.sql("""
                                INSERT INTO subscription (id, organization_id, grant_id, practitioner_id, endpoint,
                                       fhir_base, payload, secret, status, created_at, updated_at)
                                VALUES (:id, :org, :grant, :practitioner, :endpoint, :base, :payload, :secret,
                                       'ACTIVE', :now, :now)
                                """)
                    .param("id", id)
                    .param("org", grant.organizationId())
                    .param("grant", grant.grantId())
                    .param("practitioner", practitioner, java.sql.Types.OTHER)
                    .param("endpoint", endpoint)
                    .param("base", fhirBase)
                    .param("payload", payload, java.sql.Types.VARCHAR)
                    .param("secret", secret)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            return true;
        });
        if (!created) {
            throw new UnprocessableEntityException(
                    "a grant may hold at most " + MAX_PER_GRANT + " subscriptions: delete one before creating another");
        }
        Subscription subscription = resource(row);
        // The only time the secret leaves the platform.
        subscription.getChannel().addExtension(SECRET_EXTENSION, new StringType(secret));
        MethodOutcome outcome = new MethodOutcome(subscription.getIdElement(), true);
        outcome.setResource(subscription);
        return outcome;
    }

    @Read
    public Subscription read(@IdParam IdType id) {
        AppToken token = AppToken.current(registry);
        UUID wanted = idOf(id);
        for (ActiveGrant grant : token.requireScope(SCOPE)) {
            Optional<Row> row = scope.read(
                    new Caller.System(grant.organizationId()),
                    () -> jdbc.sql(SELECT + " WHERE grant_id = :grant AND id = :id")
                            .param("grant", grant.grantId())
                            .param("id", wanted)
                            .query((rs, i) -> row(rs))
                            .optional());
            if (row.isPresent()) {
                return resource(row.get());
            }
        }
        // Another app's or organization's subscription and a missing one give the same answer.
        throw new ResourceNotFoundException(id);
    }

    /** The app's own subscriptions, oldest first, at most 50. */
    @Search
    public List<Subscription> search(@Count Integer count) {
        AppToken token = AppToken.current(registry);
        // _count=0 asks for the total alone: HAPI pages the whole list down to no entry.
        int limit = count == null || count == 0 ? MAX_COUNT : Math.min(Math.max(count, 1), MAX_COUNT);
        List<Row> rows = new ArrayList<>();
        for (ActiveGrant grant : token.requireScope(SCOPE)) {
            rows.addAll(scope.read(
                    new Caller.System(grant.organizationId()),
                    () -> jdbc.sql(SELECT + " WHERE grant_id = :grant ORDER BY created_at, id LIMIT :limit")
                            .param("grant", grant.grantId())
                            .param("limit", limit)
                            .query((rs, i) -> row(rs))
                            .list()));
        }
        return rows.stream()
                .sorted(Comparator.comparing(Row::createdAt).thenComparing(r -> r.id().toString()))
                .limit(limit)
                .map(FhirSubscriptions::resource)
                .toList();
    }

    /** Ends a subscription at once: its notifications not yet delivered are dropped. */
    @Delete
    public MethodOutcome delete(@IdParam IdType id) {
        AppToken token = AppToken.current(registry);
        UUID wanted = idOf(id);
        for (ActiveGrant grant : token.requireScope(SCOPE)) {
            int deleted = scope.write(
                    new Caller.System(grant.organizationId()),
                    () -> jdbc.sql("DELETE FROM subscription WHERE grant_id = :grant AND id = :id")
                            .param("grant", grant.grantId())
                            .param("id", wanted)
                            .update());
            if (deleted > 0) {
                return new MethodOutcome(id);
            }
        }
        throw new ResourceNotFoundException(id);
    }

    /** The agenda a criteria names, or null for every agenda of the grant. */
    private static UUID criteria(String criteria) {
        Matcher m = CRITERIA.matcher(criteria == null ? "" : criteria.trim());
        if (!m.matches()) {
            throw new InvalidRequestException(
                    "Subscription.criteria must be Appointment? or Appointment?actor=Practitioner/<id>");
        }
        if (m.group(1) == null) {
            return null;
        }
        try {
            return UUID.fromString(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Subscription.criteria names an invalid Practitioner id");
        }
    }

    /**
     * The grant a new subscription belongs to: the one opening the agenda the criteria names, or the
     * token's only grant. A token carrying several organizations' grants must name an agenda.
     */
    private ActiveGrant grantFor(List<ActiveGrant> grants, UUID practitioner) {
        if (practitioner == null) {
            if (grants.size() > 1) {
                throw new InvalidRequestException("this token opens several organizations: name one agenda in"
                        + " Subscription.criteria (Appointment?actor=Practitioner/<id>)");
            }
            return grants.get(0);
        }
        GrantedAgendas.Agenda agenda = agendas.of(grants, Integer.MAX_VALUE).stream()
                .filter(a -> a.practitionerId().equals(practitioner))
                .findFirst()
                // An agenda of another organization and a missing one give the same answer.
                .orElseThrow(() -> new InvalidRequestException(
                        "Subscription.criteria names a Practitioner outside the granted agendas"));
        return grants.stream()
                .filter(g -> g.grantId().equals(agenda.grantId()))
                .findFirst()
                .orElseThrow();
    }

    private static UUID idOf(IdType id) {
        try {
            return UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ResourceNotFoundException(id);
        }
    }

    /** 32 random bytes, base64url without padding: the HMAC key is this text's ASCII bytes. */
    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static final String SELECT =
            "SELECT id, practitioner_id, endpoint, payload, status, error, created_at, updated_at FROM subscription";

    record Row(
            UUID id,
            UUID practitionerId,
            String endpoint,
            String payload,
            String status,
            String error,
            Instant createdAt,
            Instant updatedAt) {}

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("practitioner_id", UUID.class),
                rs.getString("endpoint"),
                rs.getString("payload"),
                rs.getString("status"),
                rs.getString("error"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static Subscription resource(Row r) {
        Subscription s = new Subscription();
        s.setId(new IdType("Subscription", r.id().toString()));
        s.getMeta().setLastUpdated(Date.from(r.updatedAt()));
        s.setStatus(
                "ACTIVE".equals(r.status())
                        ? Subscription.SubscriptionStatus.ACTIVE
                        : Subscription.SubscriptionStatus.ERROR);
        s.setReason(REASON);
        s.setCriteria(
                r.practitionerId() == null ? "Appointment?" : "Appointment?actor=Practitioner/" + r.practitionerId());
        if (r.error() != null) {
            s.setError(r.error());
        }
        s.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(r.endpoint());
        if (r.payload() != null) {
            s.getChannel().setPayload(r.payload());
        }
        return s;
    }
}
