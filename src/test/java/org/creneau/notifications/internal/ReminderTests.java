package org.creneau.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.notifications.Mails;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reminders with the test's clock: each at its time and only once, by the channel the organization
 * chose (48 h by email and 24 h by SMS by default), none for a cancelled appointment, none for a
 * patient who turned them off.
 */
@IntegrationTest
class ReminderTests {

    /** A week after the booking, so that every lead time is still ahead when it is booked. */
    static final Instant NEXT_TUESDAY_9 = BookingApiTests.TUESDAY_9.plus(Duration.ofDays(7));

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    GreenMail smtp;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReminderRun reminders;

    @Test
    void byDefaultTheEmailGoes48HoursBeforeAndTheSmsAt24HoursEachOnce() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("psychiatre");
        String email = address("rappel");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = book(patient, practice, NEXT_TUESDAY_9);
        awaitScheduled(id, 4);

        at(NEXT_TUESDAY_9.minus(Duration.ofDays(7)).plusSeconds(60));
        assertThat(messages(email)).as("7 days: not chosen by default").isEmpty();
        at(NEXT_TUESDAY_9.minus(Duration.ofHours(48)).minusSeconds(60));
        assertThat(messages(email)).as("not yet").isEmpty();
        at(NEXT_TUESDAY_9.minus(Duration.ofHours(48)).plusSeconds(60));
        at(NEXT_TUESDAY_9.minus(Duration.ofHours(47)));
        assertThat(messages(email)).containsExactly("EMAIL REMINDER");
        // The booking's confirmation may have come first.
        MimeMessage mail = Mails.awaitMailTo(smtp, email, "Créneau : rappel de votre rendez-vous");
        assertThat(Mails.part(mail, "text/plain")).contains("mardi 12 janvier 2027 à 09:00");

        at(NEXT_TUESDAY_9.minus(Duration.ofHours(24)).plusSeconds(60));
        at(NEXT_TUESDAY_9.minus(Duration.ofHours(2)).plusSeconds(60));
        assertThat(messages(email)).as("one email, and the SMS to the phone").containsExactly("EMAIL REMINDER");
        String sms = jdbc.sql("""
                        SELECT body_text FROM message WHERE kind = 'REMINDER' AND channel = 'SMS'
                           AND event_key = :key AND recipient = '+33612345678'
                        """)
                .param("key", "reminder:" + id + ":HOURS_24@" + NEXT_TUESDAY_9)
                .query(String.class)
                .optional()
                .orElse(null);
        assertThat(sms).isNotNull().contains("mardi 12 janvier 2027").doesNotContainIgnoringCase("psychiatr");
        assertThat(scheduled(id)).isZero();
    }

    @Test
    void theOrganizationsChoiceDecidesTheLeadTimesAndChannels() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("psychiatre");
        ApiClient admin = SignIn.staff(port, practice.adminEmail());
        ApiClient.Response set = admin.put(
                "/api/v1/staff/organization/settings/reminders",
                Map.of("email", List.of("7d", "2h"), "sms", List.of()));
        assertThat(set.status()).isEqualTo(200);
        assertThat(admin.put("/api/v1/staff/organization/settings/reminders", Map.of("email", List.of("3h")))
                        .status())
                .isEqualTo(400);
        String email = address("choix");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = book(patient, practice, NEXT_TUESDAY_9);
        awaitScheduled(id, 4);

        at(NEXT_TUESDAY_9.minus(Duration.ofDays(7)).plusSeconds(60));
        assertThat(messages(email)).containsExactly("EMAIL REMINDER");
        at(NEXT_TUESDAY_9.minus(Duration.ofHours(24)).plusSeconds(60));
        assertThat(messages(email)).hasSize(1);
        at(NEXT_TUESDAY_9.minus(Duration.ofHours(2)).plusSeconds(60));
        assertThat(messages(email)).containsExactly("EMAIL REMINDER", "EMAIL REMINDER");
        assertThat(jdbc.sql("SELECT count(*) FROM message WHERE event_key LIKE :key AND channel = 'SMS'")
                        .param("key", "reminder:" + id + "%")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void noReminderForACancelledAppointmentNorForAPatientWhoTurnedThemOff() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("psychiatre");
        String cancelling = address("annule");
        ApiClient first = new ApiClient(port);
        first.registerAndLogin(cancelling);
        String cancelled = book(first, practice, NEXT_TUESDAY_9);
        awaitScheduled(cancelled, 4);
        assertThat(first.post("/api/v1/appointments/" + cancelled + "/cancel", Map.of("reason", "Empêchement"))
                        .status())
                .isEqualTo(200);
        awaitScheduled(cancelled, 0);

        String quiet = address("silence");
        ApiClient second = new ApiClient(port);
        second.registerAndLogin(quiet);
        assertThat(second.put("/api/v1/me/reminders", Map.of("enabled", false)).status())
                .isEqualTo(200);
        String kept = book(second, practice, NEXT_TUESDAY_9.plusSeconds(3600));
        awaitScheduled(kept, 4);

        for (Duration lead : List.of(Duration.ofDays(7), Duration.ofHours(48), Duration.ofHours(24))) {
            at(NEXT_TUESDAY_9.plusSeconds(3600).minus(lead).plusSeconds(60));
        }
        assertThat(messages(cancelling)).isEmpty();
        assertThat(messages(quiet)).isEmpty();
    }

    /** Moves the clock to {@code instant} and runs the reminders, as the schedule would. */
    private void at(Instant instant) {
        clock.set(instant);
        reminders.run(instant);
    }

    private List<String> messages(String email) {
        return jdbc.sql("""
                        SELECT channel || ' ' || kind FROM message
                         WHERE recipient = :to AND kind = 'REMINDER' ORDER BY created_at
                        """).param("to", email).query(String.class).list();
    }

    private long scheduled(String appointmentId) {
        return jdbc.sql("SELECT count(*) FROM reminder WHERE appointment_id = :id")
                .param("id", UUID.fromString(appointmentId))
                .query(Long.class)
                .single();
    }

    private void awaitScheduled(String appointmentId, long count) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (scheduled(appointmentId) != count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("reminders of " + appointmentId + ": " + scheduled(appointmentId));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String address(String name) {
        return name + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }

    private static String book(ApiClient patient, Practice practice, Instant start) {
        ApiClient.Response held = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", start.toString()));
        assertThat(held.status()).as(held.raw().body()).isEqualTo(201);
        String id = held.text("id");
        assertThat(patient.post("/api/v1/appointments/" + id + "/confirm", null).status())
                .isEqualTo(200);
        return id;
    }
}
