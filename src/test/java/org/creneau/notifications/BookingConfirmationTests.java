package org.creneau.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.Map;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A booking is confirmed by email in the patient's language, HTML with a plain-text alternative and
 * an {@code .ics} file that ical4j reads back as the appointment; the subject names nothing of it.
 */
@IntegrationTest
class BookingConfirmationTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    GreenMail smtp;

    @Autowired
    MutableClock clock;

    @Test
    void aConfirmedBookingIsEmailedInFrenchWithACalendarFileOfTheAppointment() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("dermatologue");
        String email = "confirme-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = book(patient, practice, BookingApiTests.TUESDAY_9);

        MimeMessage mail = Mails.awaitMailTo(smtp, email, "Créneau : rendez-vous confirmé");
        assertThat(mail.getSubject()).doesNotContainIgnoringCase("dermato");
        assertThat(Mails.part(mail, "text/plain"))
                .contains("Votre rendez-vous du mardi 5 janvier 2027 à 09:00 avec")
                .contains("/mes-rendez-vous");
        assertThat(Mails.part(mail, "text/html")).contains("<a href=").contains("mardi 5 janvier 2027 à 09:00");

        Calendar calendar =
                new CalendarBuilder().build(new ByteArrayInputStream(Mails.attachment(mail, "rendez-vous.ics")));
        VEvent event = calendar.<VEvent>getComponent("VEVENT").orElseThrow();
        assertThat(event.getUid().orElseThrow().getValue()).isEqualTo(id + "@creneau");
        Temporal start = event.getDateTimeStart().getDate();
        assertThat(Instant.from(start)).isEqualTo(BookingApiTests.TUESDAY_9);
        assertThat(Instant.from(event.getDateTimeEnd().getDate())).isAfter(BookingApiTests.TUESDAY_9);
    }

    @Test
    void aPatientWhoRegisteredInEnglishIsEmailedInEnglish() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("dermatologue");
        String email = "english-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient patient = new ApiClient(port);
        ApiClient.Response registered = patient.post(
                "/api/v1/accounts?lang=en",
                Map.of(
                        "email", email,
                        "phone", "+33 6 12 34 56 78",
                        "password", Fixtures.PASSWORD,
                        "firstName", "Jane",
                        "lastName", "Tester",
                        "birthDate", "1985-04-12"));
        assertThat(registered.status()).isEqualTo(202);
        patient.login(email, Fixtures.PASSWORD);
        book(patient, practice, BookingApiTests.TUESDAY_9.plusSeconds(3600));

        // The address's verification mail comes too, in English as well.
        MimeMessage mail = Mails.awaitMailTo(smtp, email, "Créneau: appointment confirmed");
        assertThat(Mails.part(mail, "text/plain")).contains("Your appointment on Tuesday 5 January 2027 at 10:00 with");
    }

    private static String book(ApiClient patient, Practice practice, Instant start) {
        String id = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", start.toString()))
                .text("id");
        assertThat(patient.post("/api/v1/appointments/" + id + "/confirm", null).status())
                .isEqualTo(200);
        return id;
    }
}
