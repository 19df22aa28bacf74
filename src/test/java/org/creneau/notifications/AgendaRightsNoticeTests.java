package org.creneau.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The agenda's practitioner is told by email, through a real SMTP server, when rights on it change. */
@IntegrationTest
class AgendaRightsNoticeTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    GreenMail smtp;

    @Autowired
    org.creneau.support.MutableClock clock;

    @Test
    void thePractitionerIsEmailedWhenASecretaryGainsAndLosesRightsOnTheirAgenda() throws Exception {
        clock.set(org.creneau.support.TestConfiguration.MONDAY_MORNING);
        Practice practice = fixtures.practice("ophtalmologue");
        ApiClient admin = new ApiClient(port, clock);
        admin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        String doctorEmail = "docteur-" + UUID.randomUUID() + "@test.creneau.fr";
        admin.post(
                "/api/v1/staff/members",
                Map.of(
                        "email",
                        doctorEmail,
                        "phone",
                        "+33 1 45 00 00 00",
                        "password",
                        Fixtures.PASSWORD,
                        "role",
                        "PRACTITIONER",
                        "practitionerId",
                        practice.practitionerId().toString()));
        String secretaryEmail = "assistante-" + UUID.randomUUID() + "@test.creneau.fr";
        String secretary = admin.post(
                        "/api/v1/staff/members",
                        Map.of(
                                "email",
                                secretaryEmail,
                                "phone",
                                "+33 1 45 00 00 01",
                                "password",
                                Fixtures.PASSWORD,
                                "role",
                                "SECRETARY"))
                .text("accountId");

        admin.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/rights/" + secretary,
                Map.of("viewAppointments", true, "manageAppointments", true, "manageSettings", false));
        MimeMessage granted = awaitMailTo(doctorEmail, 1);
        assertThat(granted.getSubject()).isEqualTo("Créneau : droits modifiés sur votre agenda");
        assertThat((String) granted.getContent())
                .contains(secretaryEmail)
                .contains("Maintenant : voir les rendez-vous, gérer les rendez-vous");

        admin.put(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/rights/" + secretary,
                Map.of("viewAppointments", false, "manageAppointments", false, "manageSettings", false));
        MimeMessage lost = awaitMailTo(doctorEmail, 2);
        assertThat((String) lost.getContent()).contains("Maintenant : aucun droit");
    }

    private MimeMessage awaitMailTo(String address, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            MimeMessage[] mine = Arrays.stream(smtp.getReceivedMessages())
                    .filter(m -> {
                        try {
                            return Arrays.stream(m.getAllRecipients())
                                    .anyMatch(r -> r.toString().equals(address));
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .toArray(MimeMessage[]::new);
            if (mine.length >= count) {
                return mine[count - 1];
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail number " + count + " to " + address);
    }
}
