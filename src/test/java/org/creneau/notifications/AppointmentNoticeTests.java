package org.creneau.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.UUID;
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

/** A patient is emailed, through a real SMTP server, when the practice cancels their appointment. */
@IntegrationTest
class AppointmentNoticeTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    GreenMail smtp;

    @Autowired
    MutableClock clock;

    @Test
    void anAbsenceOverAnAppointmentEmailsThePatientWithThePracticesMessage() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("cardiologue");
        String email = "annule-" + UUID.randomUUID() + "@test.creneau.fr";
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        patient.post("/api/v1/appointments/" + id + "/confirm", null);

        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        desk.post(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/absences",
                Map.of(
                        "from", "2027-01-05T00:00:00+01:00",
                        "to", "2027-01-06T00:00:00+01:00",
                        "reason", "Congrès (privé)",
                        "patientMessage", "Le cabinet vous rappellera."));

        // The booking's confirmation came first; the cancellation is the practice's notice.
        MimeMessage notice = Mails.awaitMailTo(smtp, email, "Créneau : votre rendez-vous est annulé");
        String text = Mails.part(notice, "text/plain");
        assertThat(Mails.part(notice, "text/html")).contains("Le cabinet vous rappellera.");
        assertThat(text)
                .contains("mardi 5 janvier 2027 à 09:00")
                .contains("Le praticien est absent : Le cabinet vous rappellera.")
                .doesNotContain("Congrès");
    }
}
