package org.creneau.guard.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.AlertRaised;
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
 * once until an admin resumes it, however many request threads or nodes trip a signal at the same
 * moment: the database's primary key on {@code guard_containment} decides which one. Also raises the
 * alerts that do not contain (a quota reached), once per grant, signal and day.
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
        if (!claim(organizationId, grantId, alertId, now)) {
            log.info(
                    "Guard signal {} on grant {} of organization {}: already contained",
                    signal,
                    grantId,
                    organizationId);
            return false;
        }
        try {
            scope.write(new Caller.System(organizationId), () -> {
                // The freeze and the alert commit together, or not at all.
                long frozenTo = journal.freeze(
                        organizationId, appId, "guard alert " + alertId + ": " + signal.name() + ", " + detail);
                jdbc.sql("""
                                INSERT INTO guard_alert (id, organization_id, app_id, grant_id, signal, severe, detail,
                                                         raised_at, journal_frozen_to, contained)
                                VALUES (:id, :org, :app, :grant, :signal, :severe, :detail, :now, :frozenTo, true)
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
            });
        } catch (RuntimeException e) {
            // Nothing was contained after all: the next signal must be able to try again.
            unclaim(organizationId, grantId, alertId);
            throw e;
        }
        log.warn(
                "Guard contained app {} on grant {} of organization {}: {} (alert {})",
                appId,
                grantId,
                organizationId,
                signal,
                alertId);
        return true;
    }

    /**
     * The one statement that decides, in the database, which request contains the grant: it commits on
     * its own at once, so racing requests wait at most for this insert, never for the freeze (which
     * needs connections of the pool they would be holding).
     */
    private boolean claim(UUID organizationId, UUID grantId, UUID alertId, Instant now) {
        int[] inserted = new int[1];
        scope.writeSeparately(new Caller.System(organizationId), () -> {
            // A claim whose alert never committed (the node died in between) does not block forever.
            jdbc.sql("""
                            DELETE FROM guard_containment c
                             WHERE organization_id = :org AND grant_id = :grant
                               AND contained_at < CAST(:now AS timestamptz) - interval '1 minute'
                               AND NOT EXISTS (SELECT 1 FROM guard_alert a
                                                WHERE a.organization_id = c.organization_id AND a.id = c.alert_id)
                            """)
                    .param("org", organizationId)
                    .param("grant", grantId)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            inserted[0] = jdbc.sql("""
                                INSERT INTO guard_containment (organization_id, grant_id, alert_id, contained_at)
                                VALUES (:org, :grant, :alert, :now)
                                ON CONFLICT (organization_id, grant_id) DO NOTHING
                                """)
                    .param("org", organizationId)
                    .param("grant", grantId)
                    .param("alert", alertId)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
        });
        return inserted[0] == 1;
    }

    private void unclaim(UUID organizationId, UUID grantId, UUID alertId) {
        scope.writeSeparately(
                new Caller.System(organizationId),
                () -> jdbc.sql("""
                                DELETE FROM guard_containment
                                 WHERE organization_id = :org AND grant_id = :grant AND alert_id = :alert
                                """)
                        .param("org", organizationId)
                        .param("grant", grantId)
                        .param("alert", alertId)
                        .update());
    }

    /**
     * Alerts the organization's admins and the platform's security contact without containing: once
     * per grant, signal and (UTC) day, decided by a unique index. Returns whether this call raised it.
     */
    public boolean alert(UUID appId, UUID grantId, UUID organizationId, Signal signal, String detail) {
        Instant now = clock.instant();
        UUID alertId = UUID.randomUUID();
        boolean raised = scope.write(new Caller.System(organizationId), () -> {
            int inserted = jdbc.sql("""
                            INSERT INTO guard_alert (id, organization_id, app_id, grant_id, signal, severe, detail,
                                                     raised_at, journal_frozen_to, contained, notice_day)
                            VALUES (:id, :org, :app, :grant, :signal, :severe, :detail, :now, 0, false,
                                    CAST(:now AS timestamptz) AT TIME ZONE 'UTC')
                            ON CONFLICT (organization_id, grant_id, signal, notice_day) WHERE NOT contained DO NOTHING
                            """)
                    .param("id", alertId)
                    .param("org", organizationId)
                    .param("app", appId)
                    .param("grant", grantId)
                    .param("signal", signal.name())
                    .param("severe", signal.severe())
                    .param("detail", detail)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
            if (inserted == 1) {
                events.publishEvent(new AlertRaised(alertId, appId, grantId, organizationId, signal, detail, now));
            }
            return inserted == 1;
        });
        if (raised) {
            log.warn(
                    "Guard alert {} on app {}, grant {} of organization {}: {}",
                    alertId,
                    appId,
                    grantId,
                    organizationId,
                    signal);
        }
        return raised;
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
