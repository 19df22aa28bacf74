package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The agenda and desk pages over plain HTTP: what the day shows, each action's refusals (no right is
 * a 404 like a missing object, bad input the form again with the error at its field, a slot taken
 * meanwhile said in words), and the open day's region answering 204 until the agenda changes.
 */
@IntegrationTest
class DeskPagesTests {

    /** Monday 4 January 2027, 09:00 in Paris: the first slot of the fixtures' day. */
    static final Instant MONDAY_9 = Instant.parse("2027-01-04T08:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;
    ApiClient desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("dermatologue");
        desk = SignIn.staff(port, practice.staffEmail());
    }

    private Response bookAtDesk(Instant start, String lastName, String phone) {
        Response booked = desk.post(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments",
                Map.of(
                        "motiveId", practice.motiveId(),
                        "siteId", practice.siteId(),
                        "start", start.toString(),
                        "patient",
                                Map.of(
                                        "firstName",
                                        "Jeanne",
                                        "lastName",
                                        lastName,
                                        "birthDate",
                                        "1980-03-02",
                                        "phone",
                                        phone)));
        assertThat(booked.status()).as("%s", booked.body()).isEqualTo(201);
        return booked;
    }

    private Map<String, String> slot(Instant start) {
        Map<String, String> form = new HashMap<>();
        form.put("debut", start.toString());
        form.put("motif", practice.motiveId().toString());
        form.put("site", practice.siteId().toString());
        return form;
    }

    private String agendaPage() {
        return desk.get("/cabinet/agenda/" + practice.practitionerId()).raw().body();
    }

    @Test
    void theDayShowsAppointmentsWithPatientAndStatusFreeSlotsAndAbsencesTogether() {
        String id = bookAtDesk(MONDAY_9, "Durand", "+33 6 12 34 56 78").text("id");
        desk.post(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/absences",
                Map.of("from", "2027-01-04T10:00:00Z", "to", "2027-01-04T11:00:00Z", "reason", "Formation"));

        String page = agendaPage();

        assertThat(page).contains("id=\"appointment-" + id + "\"").contains("Jeanne Durand");
        assertThat(page).contains("Confirmé").contains("Consultation");
        assertThat(page).contains("Libre — réserver");
        assertThat(page).contains("debut=2027-01-04T08:30:00Z").doesNotContain("debut=2027-01-04T08:00:00Z");
        assertThat(page).contains("Absence : Formation");
        assertThat(page).doesNotContain("debut=2027-01-04T10:00:00Z");
        String week = desk.get("/cabinet/agenda/" + practice.practitionerId() + "?vue=semaine")
                .raw()
                .body();
        assertThat(week).contains("Semaine du lundi 4 janvier 2027").contains("Jeanne Durand");
    }

    @Test
    void thePracticeDayShowsOnlyTheAgendasThePersonMaySeeAndRefusesAnotherAsMissing() {
        SecondAgenda open = fixtures.secondPractitioner(practice, true);
        SecondAgenda closed = fixtures.secondPractitioner(practice, false);

        String page = desk.get("/cabinet/journee").raw().body();

        assertThat(page)
                .contains("id=\"column-" + practice.practitionerId() + "\"")
                .contains("id=\"column-" + open.practitionerId() + "\"")
                .doesNotContain(closed.practitionerId().toString());
        Response asked = desk.get("/cabinet/journee?agenda=" + closed.practitionerId());
        assertThat(asked.status()).isEqualTo(404);
        assertThat(desk.get("/cabinet/agenda/" + closed.practitionerId()).status())
                .isEqualTo(404);
        String one = desk.get("/cabinet/journee?agenda=" + open.practitionerId())
                .raw()
                .body();
        assertThat(one)
                .contains("id=\"column-" + open.practitionerId() + "\"")
                .doesNotContain("id=\"column-" + practice.practitionerId() + "\"");
    }

    @Test
    void aPatientFoundByPhoneIsBookedFromTheSlotAndTheAgendaSaysSo() {
        String orgPatientId = bookAtDesk(MONDAY_9, "Martinez", "06 98 76 54 32").text("orgPatientId");
        Instant ten = MONDAY_9.plus(Duration.ofMinutes(60));

        String found = desk.get("/cabinet/agenda/" + practice.practitionerId() + "/reserver?debut=" + ten + "&motif="
                        + practice.motiveId() + "&site=" + practice.siteId() + "&recherche=0698765432")
                .raw()
                .body();
        assertThat(found).contains("Réserver pour Jeanne Martinez").contains("id=\"book-" + orgPatientId + "\"");

        Map<String, String> form = slot(ten);
        form.put("patient", orgPatientId);
        Response booked = desk.postForm("/cabinet/agenda/" + practice.practitionerId() + "/reserver", form);
        assertThat(booked.status()).isEqualTo(302);
        assertThat(booked.raw().headers().firstValue("Location").orElseThrow())
                .endsWith("/cabinet/agenda/" + practice.practitionerId() + "?jour=2027-01-04");
        String agenda = desk.get("/cabinet/agenda/" + practice.practitionerId() + "?jour=2027-01-04")
                .raw()
                .body();
        assertThat(agenda).contains("Le rendez-vous est pris.");
        assertThat(agenda.split("Jeanne Martinez", -1)).hasSize(3);
    }

    @Test
    void aNewPatientWithABadPhoneGetsTheFormAgainWithTheErrorAtItsField() {
        Map<String, String> form = slot(MONDAY_9);
        form.putAll(Map.of("firstName", "Paul", "lastName", "Nouveau", "birthDate", "1990-05-05", "phone", "12"));

        Response refused = desk.postForm("/cabinet/agenda/" + practice.practitionerId() + "/reserver", form);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body())
                .contains("aria-describedby=\"phone-error\"")
                .contains("id=\"phone-error\"")
                .contains("value=\"Nouveau\"");
        assertThat(agendaPage()).doesNotContain("Paul Nouveau");
    }

    @Test
    void aSlotTakenMeanwhileIsSaidInPlainWords() {
        bookAtDesk(MONDAY_9, "Premier", "+33 6 00 00 00 01");
        Map<String, String> form = slot(MONDAY_9);
        form.putAll(Map.of(
                "firstName", "Paul", "lastName", "Second", "birthDate", "1990-05-05", "phone", "+33 6 00 00 00 02"));

        Response refused = desk.postForm("/cabinet/agenda/" + practice.practitionerId() + "/reserver", form);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.raw().body()).contains("id=\"slot-error\"").contains("Ce créneau vient d’être pris");
    }

    @Test
    void withoutTheRightEveryDeskPageAndActionAnswersLikeAMissingOne() {
        String id = bookAtDesk(MONDAY_9, "Protege", "+33 6 00 00 00 03").text("id");
        ApiClient outsider = SignIn.staff(port, practice.noRightsEmail());

        assertThat(outsider.get("/cabinet/agenda/" + practice.practitionerId()).status())
                .isEqualTo(404);
        assertThat(outsider.get("/cabinet/rendez-vous/" + id).status()).isEqualTo(404);
        Response refused = outsider.postForm("/cabinet/rendez-vous/" + id + "/annuler", Map.of("reason", "x"));
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.raw().body()).contains("id=\"not-found\"").doesNotContain("Protege");
        assertThat(outsider.postForm("/cabinet/agenda/" + practice.practitionerId() + "/reserver", slot(MONDAY_9))
                        .status())
                .isEqualTo(404);
        assertThat(desk.get("/cabinet/rendez-vous/" + id).raw().body()).contains("Confirmé");
    }

    @Test
    void cancellingWithoutAReasonShowsTheErrorAndANoShowBeforeTheTimeIsRefusedInWords() {
        String id = bookAtDesk(MONDAY_9, "Raison", "+33 6 00 00 00 04").text("id");

        Response refused = desk.postForm("/cabinet/rendez-vous/" + id + "/annuler", Map.of("reason", " "));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body()).contains("id=\"reason-error\"");

        Response early = desk.postForm("/cabinet/rendez-vous/" + id + "/non-venu", Map.of());
        assertThat(early.status()).isEqualTo(302);
        assertThat(desk.get("/cabinet/rendez-vous/" + id).raw().body())
                .contains("id=\"problem\"")
                .contains("pas encore commencé");

        Response arrived = desk.postForm("/cabinet/rendez-vous/" + id + "/arrive", Map.of());
        assertThat(arrived.status()).isEqualTo(302);
        assertThat(desk.get("/cabinet/rendez-vous/" + id).raw().body()).contains("Arrivée notée.");
    }

    @Test
    void theOpenDayAnswersNothingUntilAPatientBooksOnlineThenItsRegionAndAnAnnouncement() {
        bookAtDesk(MONDAY_9, "Avant", "+33 6 00 00 00 05");
        String page = agendaPage();
        Matcher refresh = Pattern.compile("hx-get=\"([^\"]*actualiser[^\"]*)\"").matcher(page);
        assertThat(refresh.find()).isTrue();
        String region = refresh.group(1).replace("&amp;", "&");

        assertThat(desk.get(region).status()).isEqualTo(204);

        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("online-" + java.util.UUID.randomUUID() + "@test.creneau.fr");
        Response held = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", MONDAY_9.plus(Duration.ofHours(2)).toString()));
        assertThat(held.status()).as("%s", held.body()).isEqualTo(201);
        patient.post("/api/v1/appointments/" + held.text("id") + "/confirm", null);

        Response changed = desk.get(region);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.raw().body())
                .contains("id=\"appointment-" + held.text("id") + "\"")
                .contains("hx-swap-oob")
                .contains("nouveau rendez-vous");
    }
}
