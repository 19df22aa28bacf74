package org.creneau.fhir.internal;

import ca.uhn.fhir.context.FhirContext;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.AppCall;
import org.creneau.guard.AppGuard;
import org.creneau.guard.GrantLimits;
import org.creneau.journal.AccessRecord;
import org.creneau.journal.Journal;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the queued notifications of subscriptions: a FHIR {@code history} Bundle holding the
 * appointment as the app would read it now (or only its id and version, for an id-only
 * subscription), signed with the subscription's secret, posted to its endpoint. A failure is tried
 * again after 30 seconds, then twice as long each time up to an hour; after {@value #MAX_ATTEMPTS}
 * attempts the subscription turns {@code error} and its queue is dropped.
 *
 * <p>Each delivery claims its row for a while first, so several nodes never send the same one at
 * once; a node that dies mid-send leaves the row to be sent again when the claim lapses (receivers
 * deduplicate on {@code X-Creneau-Delivery}).
 *
 * <p>Deliveries go out in parallel ({@code parallel-sends} at once on a node, 8 by default), at most
 * {@code per-endpoint} at once to one endpoint (2): a slow or stalled receiver holds two senders, never
 * everyone's deliveries. One over the endpoint's share waits a second in the queue, its attempts
 * untouched.
 */
@Component
class RestHookDeliveries {

    static final String SIGNATURE_HEADER = "X-Creneau-Signature";
    static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_RETRY = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(RestHookDeliveries.class);
    /** Long enough for a batch at the longest timeouts (5 × 15 s), so a claim never lapses mid-batch. */
    private static final Duration CLAIM = Duration.ofMinutes(2);

    /** An endpoint already receiving its share: the delivery is put back this long, not counted as failed. */
    private static final Duration ENDPOINT_BUSY = Duration.ofSeconds(1);

    private static final List<String> ID_ONLY_FIELDS = List.of("id", "meta");

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final FhirAppointments appointments;
    private final RestHookEndpoints endpoints;
    private final Journal journal;
    private final AppGuard guard;
    private final Clock clock;
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final ExecutorService senders;
    private final Semaphore sendSlots;
    private final int perEndpoint;
    private final ConcurrentHashMap<String, AtomicInteger> sendingTo = new ConcurrentHashMap<>();

    /**
     * Short timeouts, redirects never followed (a redirect could lead to an address never checked),
     * and no proxy, so the connection goes to the host whose addresses were just checked.
     */
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    RestHookDeliveries(
            TenantScope scope,
            JdbcClient jdbc,
            FhirAppointments appointments,
            RestHookEndpoints endpoints,
            Journal journal,
            AppGuard guard,
            Clock clock,
            @Value("${creneau.connect.subscriptions.parallel-sends:8}") int parallelSends,
            @Value("${creneau.connect.subscriptions.per-endpoint:2}") int perEndpoint) {
        if (parallelSends < 1 || perEndpoint < 1) {
            throw new IllegalStateException(
                    "creneau.connect.subscriptions.parallel-sends and per-endpoint must be >= 1");
        }
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(parallelSends, task -> {
            Thread thread = new Thread(task, "rest-hook-" + threads.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        this.sendSlots = new Semaphore(parallelSends);
        this.perEndpoint = perEndpoint;
        this.scope = scope;
        this.jdbc = jdbc;
        this.appointments = appointments;
        this.endpoints = endpoints;
        this.journal = journal;
        this.guard = guard;
        this.clock = clock;
    }

    record Claimed(UUID deliveryId, UUID organizationId) {}

    record Delivery(
            UUID id,
            UUID subscriptionId,
            UUID appointmentId,
            int attempts,
            UUID grantId,
            UUID appId,
            String endpoint,
            String fhirBase,
            String payload,
            String secret) {}

    /**
     * Hands what is due now to the senders, as many as are free; returns how many were handed over.
     * Each is sent on its own thread; the next run claims more as senders free up.
     */
    @Scheduled(fixedDelayString = "${creneau.connect.subscriptions.send-interval:PT5S}")
    int sendDue() {
        int free = sendSlots.availablePermits();
        if (free == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<Claimed> claimed = claim(now, free);
        for (Claimed c : claimed) {
            sendSlots.acquireUninterruptibly();
            try {
                senders.execute(() -> {
                    try {
                        send(c, now);
                    } catch (RuntimeException e) {
                        // The claim lapses and another run tries again; identifiers only in the log.
                        log.warn(
                                "Notification {} not sent: {}",
                                c.deliveryId(),
                                e.getClass().getSimpleName());
                    } finally {
                        sendSlots.release();
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                sendSlots.release();
            }
        }
        return claimed.size();
    }

    @PreDestroy
    void stopSending() {
        senders.shutdownNow();
    }

    private List<Claimed> claim(Instant now, int limit) {
        return scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                SELECT delivery_id, organization_id
                                  FROM claim_subscription_deliveries(:now, CAST(:claim AS interval), :limit)
                                """)
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("claim", CLAIM.toSeconds() + " seconds")
                        .param("limit", limit)
                        .query((rs, i) -> new Claimed(
                                rs.getObject("delivery_id", UUID.class), rs.getObject("organization_id", UUID.class)))
                        .list());
    }

    /** Sends one claimed delivery; the next attempt, if any, counts from {@code now}, when this one began. */
    private boolean send(Claimed claimed, Instant now) {
        Caller.System organization = new Caller.System(claimed.organizationId());
        Optional<Delivery> found = scope.read(
                organization,
                () -> jdbc.sql("""
                                SELECT d.id, d.subscription_id, d.appointment_id, d.attempts, s.grant_id, g.app_id,
                                       s.endpoint, s.fhir_base, s.payload, s.secret
                                  FROM subscription_delivery d
                                  JOIN subscription s ON s.id = d.subscription_id AND s.organization_id = d.organization_id
                                  JOIN app_grants_in_force(CAST(:scopes AS text[]), CAST(NULL AS uuid)) g
                                    ON g.grant_id = s.grant_id AND g.organization_id = s.organization_id
                                 WHERE d.id = :id AND s.status = 'ACTIVE'
                                """)
                        .param("id", claimed.deliveryId())
                        .param("scopes", new String[] {FhirSubscriptions.SCOPE, FhirAppointments.SCOPE_READ})
                        .query((rs, i) -> new Delivery(
                                rs.getObject("id", UUID.class),
                                rs.getObject("subscription_id", UUID.class),
                                rs.getObject("appointment_id", UUID.class),
                                rs.getInt("attempts"),
                                rs.getObject("grant_id", UUID.class),
                                rs.getObject("app_id", UUID.class),
                                rs.getString("endpoint"),
                                rs.getString("fhir_base"),
                                rs.getString("payload"),
                                rs.getString("secret")))
                        .optional());
        // The grant, the app or the subscription stopped since the change, or the appointment left
        // the grant's agendas: the app may no longer see it, so nothing is sent.
        Optional<Appointment> appointment =
                found.flatMap(d -> appointments.asGranted(claimed.organizationId(), d.grantId(), d.appointmentId()));
        if (found.isEmpty() || appointment.isEmpty()) {
            drop(organization, claimed.deliveryId());
            return false;
        }
        Delivery d = found.get();
        RestHookEndpoints.Checked endpoint;
        try {
            endpoint = endpoints.check(d.endpoint());
        } catch (RestHookEndpoints.Refused e) {
            failed(organization, d, now, "endpoint refused: " + e.getMessage());
            return false;
        }
        String endpointKey = endpoint.uri().getHost() + ":" + endpoint.uri().getPort();
        AtomicInteger sending = sendingTo.computeIfAbsent(endpointKey, k -> new AtomicInteger());
        if (sending.incrementAndGet() > perEndpoint) {
            sending.decrementAndGet();
            putBack(organization, d.id(), now.plus(ENDPOINT_BUSY));
            return false;
        }
        try {
            return post(organization, d, appointment.get(), endpoint, now);
        } finally {
            sending.decrementAndGet();
        }
    }

    private boolean post(
            Caller.System organization,
            Delivery d,
            Appointment appointment,
            RestHookEndpoints.Checked endpoint,
            Instant now) {
        Claimed claimed = new Claimed(d.id(), organization.organizationId());
        boolean withResource = d.payload() != null;
        byte[] body = fhir.newJsonParser()
                .encodeResourceToString(notification(d, appointment, withResource))
                .getBytes(StandardCharsets.UTF_8);
        // Journaled before it leaves, like every other disclosure.
        journal.append(new AccessRecord(
                AccessRecord.ActorKind.APP,
                d.appId(),
                "APP",
                d.grantId(),
                claimed.organizationId(),
                "POST Subscription/{id} rest-hook",
                "notify",
                "Appointment",
                List.of(d.appointmentId()),
                withResource ? FhirAppointments.FIELDS : ID_ONLY_FIELDS,
                "SENT"));
        // What the app is notified of, it may read by id later without looking like a guesser.
        guard.introduced(
                new AppCall(d.appId(), d.grantId(), claimed.organizationId(), GrantLimits.DEFAULTS),
                List.of(d.appointmentId()),
                withResource ? patientsOf(appointment) : List.of());
        HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/fhir+json")
                .header(SIGNATURE_HEADER, "sha256=" + hmac(d.secret(), body))
                .header("X-Creneau-Subscription", d.subscriptionId().toString())
                .header("X-Creneau-Delivery", d.id().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            failed(organization, d, now, "no answer (" + e.getClass().getSimpleName() + ")");
            return false;
        } catch (InterruptedException e) {
            // Shutting down: the claim lapses and another run sends it.
            Thread.currentThread().interrupt();
            return false;
        }
        if (status / 100 != 2) {
            failed(organization, d, now, "HTTP " + status);
            return false;
        }
        drop(organization, d.id());
        log.info("Delivered notification {} of subscription {}", d.id(), d.subscriptionId());
        return true;
    }

    /**
     * An R4 subscription notification: a history Bundle with one entry, the appointment's current
     * version (the resource itself only when the subscription asked for a payload).
     */
    private Bundle notification(Delivery d, Appointment appointment, boolean withResource) {
        Bundle bundle = new Bundle();
        bundle.setId(d.id().toString());
        bundle.setType(Bundle.BundleType.HISTORY);
        bundle.setTimestamp(Date.from(clock.instant()));
        Bundle.BundleEntryComponent entry = bundle.addEntry();
        String reference = "Appointment/" + d.appointmentId();
        entry.setFullUrl(d.fhirBase() + "/" + reference);
        if (withResource) {
            entry.setResource(appointment);
        }
        entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(reference);
        entry.getResponse()
                .setStatus("200 OK")
                .setLocation(reference + "/_history/" + appointment.getMeta().getVersionId())
                .setLastModified(appointment.getMeta().getLastUpdated());
        return bundle;
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Waits longer after each failure: 30 s, 1 min, 2 min, ... up to an hour. */
    static Duration backoff(int attempts) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
    }

    private void failed(Caller.System organization, Delivery d, Instant now, String reason) {
        int attempts = d.attempts() + 1;
        if (attempts >= MAX_ATTEMPTS) {
            scope.write(organization, () -> {
                jdbc.sql("UPDATE subscription SET status = 'ERROR', error = :error, updated_at = :now WHERE id = :id")
                        .param("id", d.subscriptionId())
                        .param("error", "gave up after " + attempts + " attempts; last: " + reason)
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .update();
                jdbc.sql("DELETE FROM subscription_delivery WHERE subscription_id = :id")
                        .param("id", d.subscriptionId())
                        .update();
            });
            log.warn("Subscription {} turned error after {} attempts: {}", d.subscriptionId(), attempts, reason);
            return;
        }
        scope.write(
                organization,
                () -> jdbc.sql("UPDATE subscription_delivery SET attempts = :attempts, next_attempt_at = :next"
                                + " WHERE id = :id")
                        .param("id", d.id())
                        .param("attempts", attempts)
                        .param("next", now.plus(backoff(attempts)).atOffset(ZoneOffset.UTC))
                        .update());
        log.info(
                "Notification {} of subscription {} failed ({}), attempt {}",
                d.id(),
                d.subscriptionId(),
                reason,
                attempts);
    }

    private void putBack(Caller.System organization, UUID deliveryId, Instant next) {
        scope.write(
                organization,
                () -> jdbc.sql("UPDATE subscription_delivery SET next_attempt_at = :next WHERE id = :id")
                        .param("id", deliveryId)
                        .param("next", next.atOffset(ZoneOffset.UTC))
                        .update());
    }

    private void drop(Caller.System organization, UUID deliveryId) {
        scope.write(
                organization,
                () -> jdbc.sql("DELETE FROM subscription_delivery WHERE id = :id")
                        .param("id", deliveryId)
                        .update());
    }

    private static List<UUID> patientsOf(Appointment appointment) {
        return appointment.getParticipant().stream()
                .map(p -> p.getActor().getReferenceElement())
                .filter(ref -> "Patient".equals(ref.getResourceType()))
                .map(ref -> UUID.fromString(ref.getIdPart()))
                .toList();
    }
}
