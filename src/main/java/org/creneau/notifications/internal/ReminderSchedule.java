package org.creneau.notifications.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the reminders to come in step with the appointments: a booking schedules one per lead time
 * still ahead of it (the confirmation stands for those already past), a move schedules them anew,
 * a cancellation drops them. Which of them go, and by which channel, is decided when they fall due.
 */
@Component
class ReminderSchedule {

    private final JdbcClient jdbc;
    private final TenantScope scope;

    ReminderSchedule(JdbcClient jdbc, TenantScope scope) {
        this.jdbc = jdbc;
        this.scope = scope;
    }

    @ApplicationModuleListener(
            condition = "#event.kind().name() == 'BOOKED' or #event.kind().name() == 'RESCHEDULED' or "
                    + "#event.kind().name() == 'CANCELLED'")
    void on(AppointmentEvent event) {
        scope.write(Caller.ANONYMOUS, () -> {
            jdbc.sql("DELETE FROM reminder WHERE appointment_id = :id")
                    .param("id", event.appointmentId())
                    .update();
            if (event.kind() != AppointmentEvent.Kind.CANCELLED) {
                schedule(event);
            }
        });
    }

    private void schedule(AppointmentEvent event) {
        for (ReminderLead lead : ReminderLead.values()) {
            Instant due = event.start().minus(lead.before());
            if (due.isAfter(event.occurredAt())) {
                jdbc.sql("""
                                INSERT INTO reminder (appointment_id, organization_id, lead, start_at, due_at)
                                VALUES (:id, :org, :lead, :start, :due)
                                ON CONFLICT (appointment_id, lead) DO UPDATE SET start_at = :start, due_at = :due
                                """)
                        .param("id", event.appointmentId())
                        .param("org", event.organizationId())
                        .param("lead", lead.name())
                        .param("start", event.start().atOffset(ZoneOffset.UTC))
                        .param("due", due.atOffset(ZoneOffset.UTC))
                        .update();
            }
        }
    }
}
