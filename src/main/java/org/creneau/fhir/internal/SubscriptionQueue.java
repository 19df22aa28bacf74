package org.creneau.fhir.internal;

import java.time.Clock;
import java.time.ZoneOffset;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Queues one notification per subscription an appointment change concerns: active subscriptions of
 * the same organization, under a grant still active, of an app still active, whose agendas include
 * the appointment's. Runs after the change commits, through the event publication registry, so
 * no change is lost with a crash and none is announced that was rolled back.
 */
@Component
class SubscriptionQueue {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionQueue.class);

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final Clock clock;

    SubscriptionQueue(TenantScope scope, JdbcClient jdbc, Clock clock) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(AppointmentEvent event) {
        int queued = scope.write(
                new Caller.System(event.organizationId()),
                () -> jdbc.sql("""
                                INSERT INTO subscription_delivery (id, organization_id, subscription_id, appointment_id,
                                       attempts, next_attempt_at, created_at)
                                SELECT gen_random_uuid(), s.organization_id, s.id, :appointment, 0, :now, :now
                                  FROM subscription s
                                  JOIN app_grants_in_force(CAST(:scopes AS text[]), :practitioner) g
                                    ON g.grant_id = s.grant_id AND g.organization_id = s.organization_id
                                 WHERE s.organization_id = :org AND s.status = 'ACTIVE'
                                   AND (s.practitioner_id IS NULL OR s.practitioner_id = :practitioner)
                                """)
                        .param("appointment", event.appointmentId())
                        .param("org", event.organizationId())
                        .param("practitioner", event.practitionerId())
                        .param("scopes", new String[] {FhirSubscriptions.SCOPE, FhirAppointments.SCOPE_READ})
                        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .update());
        if (queued > 0) {
            log.debug("Queued {} notifications of appointment {}", queued, event.appointmentId());
        }
    }
}
