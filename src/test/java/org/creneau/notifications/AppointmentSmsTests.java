package org.creneau.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
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
 * SMS about an appointment, through the application's own delivery worker to its SMS outbox (the
 * gateway of a platform without a provider): the confirmation, a move and a cancellation by the
 * practice, only for a patient who turned SMS on, never naming the motive; and the organization's
 * choice to name the motive in emails' bodies, never in a subject or an SMS.
 */
@IntegrationTest
class AppointmentSmsTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

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

    @Test
    void aPatientWhoTurnedSmsOnIsTextedTheConfirmationAndThePracticesMoveAndCancellationWithoutTheMotive()
            throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("psychiatre");
        String email = address("sms-on");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        assertThat(patient.get("/api/v1/me/sms").body().get("enabled").asBoolean())
                .as("off unless turned on")
                .isFalse();
        assertThat(patient.put("/api/v1/me/sms", Map.of("enabled", true)).status())
                .isEqualTo(200);
        String id = book(patient, practice, TUESDAY_9);

        String confirmation = awaitSms(id, "BOOKING_CONFIRMED");
        assertThat(confirmation).contains("mardi 5 janvier 2027 à 09:00");
        assertThat(recipientOfSms(id, "BOOKING_CONFIRMED")).isEqualTo("+33612345678");

        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(desk.post(
                                "/api/v1/staff/appointments/" + id + "/move",
                                Map.of(
                                        "start",
                                        TUESDAY_9.plus(Duration.ofHours(2)).toString()))
                        .status())
                .isEqualTo(200);
        assertThat(awaitSms(id, "APPOINTMENT_MOVED")).contains("mardi 5 janvier 2027 à 11:00");
        MimeMessage moved = Mails.awaitMailTo(smtp, email, "Créneau : votre rendez-vous est déplacé");
        assertThat(Mails.part(moved, "text/plain"))
                .contains("mardi 5 janvier 2027 à 09:00")
                .contains("mardi 5 janvier 2027 à 11:00");

        assertThat(desk.post(
                                "/api/v1/staff/appointments/" + id + "/cancel",
                                Map.of("reason", "Consultation de psychiatrie reportée"))
                        .status())
                .isEqualTo(200);
        String cancelled = awaitSms(id, "APPOINTMENT_CANCELLED");
        assertThat(cancelled).contains("mardi 5 janvier 2027 à 11:00");

        for (String sms : List.of(confirmation, cancelled, awaitSms(id, "APPOINTMENT_MOVED"))) {
            assertThat(sms)
                    .doesNotContainIgnoringCase("psychiatr")
                    .doesNotContain("Consultation")
                    .doesNotContain("reportée");
        }
    }

    @Test
    void byDefaultAnAppointmentsConfirmationIsEmailedAndNotTexted() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("psychiatre");
        String email = address("sms-off");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = book(patient, practice, TUESDAY_9);

        Mails.awaitMailTo(smtp, email, "Créneau : rendez-vous confirmé");
        assertThat(jdbc.sql("SELECT count(*) FROM message WHERE channel = 'SMS' AND event_key LIKE :key")
                        .param("key", "appointment:" + id + ":%")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anOrganizationNamesTheMotiveInEmailBodiesOnlyWhenItChoseTo() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice quiet = fixtures.practice("psychiatre");
        String quietEmail = address("motif-non");
        ApiClient first = new ApiClient(port);
        first.registerAndLogin(quietEmail);
        book(first, quiet, TUESDAY_9);
        MimeMessage plain = Mails.awaitMailTo(smtp, quietEmail, "Créneau : rendez-vous confirmé");
        assertThat(Mails.part(plain, "text/plain")).doesNotContain("Consultation");
        assertThat(Mails.part(plain, "text/html")).doesNotContain("Consultation");

        Practice open = fixtures.practice("psychiatre");
        ApiClient admin = SignIn.staff(port, open.adminEmail());
        ApiClient.Response chosen = admin.put(
                "/api/v1/staff/organization/settings/reminders",
                Map.of("email", List.of("48h"), "sms", List.of("24h"), "motiveInEmail", true));
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(chosen.body().get("motiveInEmail").asBoolean()).isTrue();
        // A change that leaves it out keeps the choice.
        assertThat(admin.put("/api/v1/staff/organization/settings/reminders", Map.of("email", List.of("48h")))
                        .body()
                        .get("motiveInEmail")
                        .asBoolean())
                .isTrue();
        String openEmail = address("motif-oui");
        ApiClient second = new ApiClient(port);
        second.registerAndLogin(openEmail);
        second.put("/api/v1/me/sms", Map.of("enabled", true));
        String id = book(second, open, TUESDAY_9);

        MimeMessage named = Mails.awaitMailTo(smtp, openEmail, "Créneau : rendez-vous confirmé");
        assertThat(Mails.part(named, "text/plain")).contains("Motif : Consultation");
        assertThat(Mails.part(named, "text/html")).contains("Motif : Consultation");
        assertThat(named.getSubject()).doesNotContain("Consultation");
        assertThat(awaitSms(id, "BOOKING_CONFIRMED")).doesNotContain("Consultation");
    }

    /** The text of the appointment's SMS of this kind, once the worker wrote it to the SMS outbox. */
    private String awaitSms(String appointmentId, String kind) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            List<String> texts = jdbc.sql("""
                            SELECT o.body FROM message m JOIN sms_outbox o ON o.id = m.id
                             WHERE m.channel = 'SMS' AND m.kind = :kind AND m.event_key LIKE :key
                            """)
                    .param("kind", kind)
                    .param("key", "appointment:" + appointmentId + ":%")
                    .query(String.class)
                    .list();
            if (!texts.isEmpty()) {
                assertThat(texts).as("one SMS").hasSize(1);
                return texts.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + kind + " SMS for appointment " + appointmentId);
    }

    private String recipientOfSms(String appointmentId, String kind) {
        return jdbc.sql("""
                        SELECT o.recipient FROM message m JOIN sms_outbox o ON o.id = m.id
                         WHERE m.channel = 'SMS' AND m.kind = :kind AND m.event_key LIKE :key
                        """)
                .param("kind", kind)
                .param("key", "appointment:" + appointmentId + ":%")
                .query(String.class)
                .single();
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
