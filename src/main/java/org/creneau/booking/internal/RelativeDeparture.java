package org.creneau.booking.internal;

import java.time.ZoneOffset;
import org.creneau.patients.RelativeLeaving;
import org.creneau.platform.ConflictException;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Booking's say when a patient account stops booking for a relative: not while the relative has an
 * appointment to come (the patient cancels it first, so the practice is told), and their places on
 * waiting lists are withdrawn with the removal. Runs in the removal's transaction and scope.
 */
@Component
class RelativeDeparture {

    private final JdbcClient jdbc;

    RelativeDeparture(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void onLeaving(RelativeLeaving leaving) {
        long upcoming = jdbc.sql("""
                        SELECT count(*) FROM appointment
                         WHERE patient_id = :p AND start_at > :now
                           AND (status = 'BOOKED' OR (status = 'HELD' AND hold_expires_at > :now))
                        """)
                .param("p", leaving.relativeId())
                .param("now", leaving.at().atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .single();
        if (upcoming > 0) {
            throw new ConflictException(
                    "relative-has-appointments",
                    "This relative has appointments to come: cancel them before removing the relative.");
        }
        jdbc.sql("""
                        UPDATE waitlist_entry SET status = 'WITHDRAWN', updated_at = :now
                         WHERE patient_id = :p AND status IN ('WAITING', 'OFFERED')
                        """)
                .param("p", leaving.relativeId())
                .param("now", leaving.at().atOffset(ZoneOffset.UTC))
                .update();
    }
}
