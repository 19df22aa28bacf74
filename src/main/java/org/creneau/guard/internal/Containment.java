package org.creneau.guard.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.ContainmentOrdered;
import org.creneau.guard.Signal;
import org.creneau.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Contains an app: freezes the journal up to now (a signed checkpoint pins it), records the alert
 * and orders the suspension. The connect module suspends the grant as soon as the alert commits,
 * before the refused answer leaves; the notifications module emails the alert. A grant is contained
 * once until an admin resumes it, however many request threads trip a signal at the same moment.
 */
@Component
public class Containment {

    private static final Logger log = LoggerFactory.getLogger(Containment.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final Journal journal;
    private final ApplicationEventPublisher events;

    Containment(JdbcClient jdbc, TenantScope scope, Clock clock, Journal journal, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.journal = journal;
        this.events = events;
    }

    /**
     * Contains the app on this grant, unless it is contained already or being contained right now by
     * another request. Returns whether this call did it; either way the caller refuses its request.
     */
    public boolean contain(UUID appId, UUID grantId, UUID organizationId, Signal signal, String detail) {
        Instant now = clock.instant();
        UUID alertId = UUID.randomUUID();
        boolean contained = scope.write(new Caller.System(organizationId), () -> {
            if (!firstToContain(organizationId, grantId)) {
                return false;
            }
            // The freeze, the alert and the containment's row commit together, or not at all.
            long frozenTo = journal.freeze(
                    organizationId, appId, "guard alert " + alertId + ": " + signal.name() + ", " + detail);
            jdbc.sql("""
                            INSERT INTO guard_containment (organization_id, grant_id, alert_id, contained_at)
                            VALUES (:org, :grant, :alert, :now)
                            """)
                    .param("org", organizationId)
                    .param("grant", grantId)
                    .param("alert", alertId)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            jdbc.sql("""
                            INSERT INTO guard_alert (id, organization_id, app_id, grant_id, signal, severe, detail,
                                                     raised_at, journal_frozen_to)
                            VALUES (:id, :org, :app, :grant, :signal, :severe, :detail, :now, :frozenTo)
                            """)
                    .param("id", alertId)
                    .param("org", organizationId)
                    .param("app", appId)
                    .param("grant", grantId)
                    .param("signal", signal.name())
                    .param("severe", signal.severe())
                    .param("detail", detail)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .param("frozenTo", frozenTo)
                    .update();
            events.publishEvent(
                    new ContainmentOrdered(alertId, appId, grantId, organizationId, signal, signal.severe(), now));
            return true;
        });
        if (contained) {
            log.warn(
                    "Guard contained app {} on grant {} of organization {}: {} (alert {})",
                    appId,
                    grantId,
                    organizationId,
                    signal,
                    alertId);
        } else {
            log.info(
                    "Guard signal {} on grant {} of organization {}: already contained",
                    signal,
                    grantId,
                    organizationId);
        }
        return contained;
    }

    /**
     * Whether this transaction is the one that contains the grant. Another one holding the grant's
     * lock is containing it right now: not waiting for it keeps this request's connection free for
     * the pool that one needs to finish. Once the lock is ours, a row says it was already done.
     */
    private boolean firstToContain(UUID organizationId, UUID grantId) {
        boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended('containment:' || :grant, 0))")
                .param("grant", grantId.toString())
                .query(Boolean.class)
                .single();
        return locked
                && !jdbc.sql("""
                                SELECT EXISTS (SELECT 1 FROM guard_containment
                                                WHERE organization_id = :org AND grant_id = :grant)
                                """)
                        .param("org", organizationId)
                        .param("grant", grantId)
                        .query(Boolean.class)
                        .single();
    }

    /** An admin resumed the grant: the next signal contains it again. Joins the resuming transaction. */
    public void release(UUID organizationId, UUID grantId) {
        scope.write(
                new Caller.System(organizationId),
                () -> jdbc.sql("DELETE FROM guard_containment WHERE organization_id = :org AND grant_id = :grant")
                        .param("org", organizationId)
                        .param("grant", grantId)
                        .update());
    }
}
