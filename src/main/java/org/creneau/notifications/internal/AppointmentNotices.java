package org.creneau.notifications.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentEvent;
import org.creneau.notifications.MailChannel;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells patients, by email, what the practice did to their appointment: a cancellation (an
 * absence, the desk) and a slot offered from the waiting list. Changes patients make themselves
 * need no notice.
 */
@Component
class AppointmentNotices {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'à' HH:mm", Locale.FRENCH);

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final MailChannel mail;

    AppointmentNotices(TenantScope scope, JdbcClient jdbc, MailChannel mail) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.mail = mail;
    }

    record Recipient(String email, String practitioner, String reason, Instant start, ZoneId zone) {}

    @ApplicationModuleListener
    void on(AppointmentEvent event) {
        boolean cancelledByPractice = event.kind() == AppointmentEvent.Kind.CANCELLED && event.byPractice();
        boolean offered = event.kind() == AppointmentEvent.Kind.WAITLIST_OFFERED;
        if (!cancelledByPractice && !offered) {
            return;
        }
        Optional<Recipient> to =
                scope.read(new Caller.System(event.organizationId()), () -> recipient(event.appointmentId()));
        if (to.isEmpty() || to.get().email() == null) {
            return;
        }
        Recipient r = to.get();
        String when = WHEN.format(r.start().atZone(r.zone()));
        if (cancelledByPractice) {
            mail.send(
                    r.email(),
                    "Créneau : votre rendez-vous est annulé",
                    """
                    Bonjour,

                    Votre rendez-vous du %s avec %s est annulé par le cabinet.
                    %s

                    Vous pouvez reprendre rendez-vous sur Créneau.
                    """.formatted(when, r.practitioner(), r.reason() == null ? "" : r.reason()),
                    "appointment-cancelled:" + event.appointmentId());
        } else {
            mail.send(
                    r.email(),
                    "Créneau : un créneau s'est libéré pour vous",
                    """
                    Bonjour,

                    Un créneau s'est libéré le %s avec %s. Il vous est réservé pendant un temps limité :
                    confirmez-le depuis votre compte Créneau, ou il sera proposé à la personne suivante.
                    """.formatted(when, r.practitioner()),
                    "waitlist-offer:" + event.appointmentId());
        }
    }

    /** Who to tell; never anyone for a decoy (a canary record stands for nobody): the database hides them. */
    private Optional<Recipient> recipient(UUID appointmentId) {
        return jdbc.sql("""
                        SELECT op.email, p.first_name || ' ' || p.last_name AS practitioner, a.cancel_reason,
                               a.start_at, s.time_zone
                          FROM appointment a
                          JOIN org_patient op ON op.id = a.org_patient_id
                          JOIN practitioner p ON p.id = a.practitioner_id
                          JOIN site s ON s.id = a.site_id
                         WHERE a.id = :id
                        """)
                .param("id", appointmentId)
                .query((rs, i) -> new Recipient(
                        rs.getString("email"),
                        rs.getString("practitioner"),
                        rs.getString("cancel_reason"),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        ZoneId.of(rs.getString("time_zone"))))
                .optional();
    }
}
