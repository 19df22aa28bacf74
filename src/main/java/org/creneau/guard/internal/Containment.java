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
 * before the refused answer leaves; the notifications module emails the alert.
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

    public void contain(UUID appId, UUID grantId, UUID organizationId, Signal signal, String detail) {
        Instant now = clock.instant();
        UUID alertId = UUID.randomUUID();
        long frozenTo =
                journal.freeze(organizationId, appId, "guard alert " + alertId + ": " + signal.name() + ", " + detail);
        scope.write(new Caller.System(organizationId), () -> {
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
        });
        log.warn(
                "Guard contained app {} on grant {} of organization {}: {} (alert {})",
                appId,
                grantId,
                organizationId,
                signal,
                alertId);
    }
}
