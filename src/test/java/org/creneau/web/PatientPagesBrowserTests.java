package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.creneau.support.PageChecks.check;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The waiting list offer and the access log, in a real browser, checked by axe-core in both
 * languages and photographed at 375 and 1280 px.
 */
@IntegrationTest
class PatientPagesBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    AgendaSettings agendas;

    @Autowired
    TenantScope scope;

    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void open() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void withNoFreeSlotInTwoWeeksThePractitionerPageOffersTheWaitingListAndAPatientJoinsIt() {
        Practice practice = fixtures.practice("psychiatre");
        Instant now = clock.instant();
        scope.write(
                new Caller.System(practice.organizationId()),
                () -> agendas.addAbsence(
                        practice.organizationId(),
                        practice.practitionerId(),
                        now,
                        now.plus(Duration.ofDays(20)),
                        "congrès"));
        String page = url("/praticiens/" + practice.practitionerId());
        browser.get(page);
        assertThat(browser.findElement(By.id("no-slot")).getText())
                .isEqualTo("Aucun créneau libre dans les 14 prochains jours.");
        assertThat(browser.findElement(By.id("waitlist-sign-in")).getText())
                .isEqualTo("Connectez-vous pour vous inscrire sur la liste d’attente");
        check(browser, "practitioner-waitlist");

        String email = PageChecks.newEmail("waiting");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        PageChecks.signIn(browser, url(""), email);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upcoming")));
        browser.get(page);
        browser.findElement(By.id("join-waitlist")).click();
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("waitlist-joined")))
                        .getText())
                .isEqualTo("Vous êtes sur la liste d’attente pour « Consultation ». Nous vous écrirons dès qu’un"
                        + " créneau se libère.");
        check(browser, "practitioner-waitlist-joined", false);
        assertThat(patient.get("/api/v1/me/waitlist")
                        .body()
                        .valueStream()
                        .map(e -> e.path("motiveId").asString()))
                .containsExactly(practice.motiveId().toString());

        // Joining twice is said plainly, and the list keeps one entry.
        browser.get(page);
        browser.findElement(By.id("join-waitlist")).click();
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("waitlist-problem")))
                        .getText())
                .isEqualTo("Vous êtes déjà sur cette liste d’attente.");
        assertThat(patient.get("/api/v1/me/waitlist").body().size()).isEqualTo(1);

        // With a relative on the account, the patient chooses whom the waiting list is for.
        String child = patient.post(
                        "/api/v1/me/relatives",
                        Map.of(
                                "relationship",
                                "CHILD",
                                "firstName",
                                "Léo",
                                "lastName",
                                "Durand",
                                "birthDate",
                                "2019-05-12"))
                .text("id");
        browser.get(page);
        assertThat(browser.findElement(By.cssSelector("#waitlist-form legend")).getText())
                .isEqualTo("Pour qui ?");
        assertThat(browser.findElement(By.id("waitlist-person-0")).isSelected()).isTrue();
        check(browser, "practitioner-waitlist-for-whom");
        photographWaitlist("practitioner-waitlist-for-whom-form");
        browser.findElement(By.cssSelector("label[for=waitlist-person-1]")).click();
        assertThat(browser.findElement(By.id("waitlist-person-1")).getAttribute("value"))
                .isEqualTo(child);
        browser.findElement(By.id("join-waitlist")).click();
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("waitlist-joined")))
                        .getText())
                .isEqualTo("Votre proche est sur la liste d’attente pour « Consultation ». Nous vous écrirons dès"
                        + " qu’un créneau se libère.");
        check(browser, "practitioner-waitlist-relative-joined", false);
        assertThat(patient.get("/api/v1/me/waitlist")
                        .body()
                        .valueStream()
                        .map(e -> e.path("patientId").asString()))
                .hasSize(2)
                .contains(child);
    }

    @Test
    void aPatientReadsWhoAccessedTheirAppointmentFromTheHeaderLink() {
        Practice practice = fixtures.practice("psychiatre");
        String email = PageChecks.newEmail("log");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", "2027-01-13T09:00:00Z"))
                .text("id");
        patient.post("/api/v1/appointments/" + id + "/confirm", Map.of());
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        desk.get("/api/v1/staff/appointments/" + id);

        PageChecks.signIn(browser, url(""), email);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-access-log")))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("accesses")));
        assertThat(browser.findElement(By.cssSelector("#accesses .access-who")).getText())
                .isEqualTo("Le secrétariat du cabinet");
        assertThat(browser.findElement(By.cssSelector("#accesses .access-purpose"))
                        .getText())
                .isEqualTo("Consulter le rendez-vous");
        assertThat(browser.getTitle()).doesNotContain(email);
        check(browser, "access-log");
    }

    /** The waiting list section scrolled into view (the page checks photograph the top of the page). */
    private void photographWaitlist(String name) {
        try {
            Files.createDirectories(PageChecks.SCREENSHOTS);
            for (int width : List.of(375, 1280)) {
                browser.manage().window().setSize(new Dimension(width, 900));
                browser.executeScript("document.getElementById('waitlist').scrollIntoView()");
                Files.write(
                        PageChecks.SCREENSHOTS.resolve(name + "-fr-" + width + ".png"),
                        browser.getScreenshotAs(OutputType.BYTES));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
