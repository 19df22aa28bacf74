package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.creneau.support.PageChecks.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Moving an appointment from its page, in a real browser: to another free slot of the same
 * practitioner and motive; onto a slot taken meanwhile, the appointment keeps its time and the page
 * says so; past the cut-off, the page shows the cut-off and offers no slot.
 */
@IntegrationTest
class MoveAppointmentBrowserTests {

    /** Wednesday 13 January 2027, 10:00 in Paris: next week, well before the 24-hour cut-off. */
    static final Instant NEXT_WEDNESDAY_10 = Instant.parse("2027-01-13T09:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

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
    void aPatientMovesAnAppointmentToAnotherSlotOfTheSamePractitioner() {
        Practice practice = fixtures.practice("dermatologue");
        String email = PageChecks.newEmail("move");
        String id = booked(practice, email, NEXT_WEDNESDAY_10);
        PageChecks.signIn(browser, url(""), email);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upcoming")));
        browser.get(url("/mes-rendez-vous/" + id));
        browser.findElement(By.id("move")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("move-form")));
        assertThat(browser.findElement(By.id("appointment-time")).getText())
                .isEqualTo("mercredi 13 janvier 2027 10:00");
        check(browser, "move");
        // The soonest slot: this Monday at 09:00, Paris time.
        WebElement soonest = browser.findElement(By.cssSelector("#move-form button.slot.soonest"));
        assertThat(soonest.getAttribute("aria-label")).isEqualTo("Déplacer au lundi 4 janvier 09:00 (le plus tôt)");
        soonest.click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("moved")));
        assertThat(browser.findElement(By.id("appointment-time")).getText()).isEqualTo("lundi 4 janvier 2027 09:00");
        assertThat(browser.findElement(By.id("appointment-status")).getText()).isEqualTo("Confirmé");
        check(browser, "appointment-moved", false);
        // The old slot is free again: the practitioner page offers it.
        browser.get(url("/praticiens/" + practice.practitionerId() + "?semaine=2027-01-11"));
        assertThat(browser.findElements(By.cssSelector("button.slot[value='" + NEXT_WEDNESDAY_10 + "']")))
                .hasSize(1);
    }

    @Test
    void aMoveOntoASlotTakenMeanwhileKeepsTheOldSlotAndSaysSo() {
        Practice practice = fixtures.practice("dermatologue");
        String email = PageChecks.newEmail("move-race");
        String id = booked(practice, email, NEXT_WEDNESDAY_10);
        PageChecks.signIn(browser, url(""), email);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upcoming")));
        browser.get(url("/mes-rendez-vous/" + id + "/deplacer"));
        WebElement soonest = browser.findElement(By.cssSelector("#move-form button.slot.soonest"));
        String wanted = soonest.getAttribute("value");

        // Someone else takes that slot while the page is open.
        ApiClient other = new ApiClient(port);
        other.registerAndLogin(PageChecks.newEmail("other"));
        assertThat(other.post("/api/v1/appointments", slot(practice, wanted)).status())
                .isEqualTo(201);
        soonest.click();

        WebElement problem = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("move-problem")));
        assertThat(problem.getText())
                .isEqualTo("Ce créneau vient d’être pris par quelqu’un d’autre. Votre rendez-vous reste le"
                        + " mercredi 13 janvier 10:00 : choisissez un autre créneau.");
        assertThat(browser.findElement(By.id("appointment-time")).getText())
                .isEqualTo("mercredi 13 janvier 2027 10:00");
        // The taken slot is no longer offered; the grid shows the same week as it is now.
        assertThat(browser.findElements(By.cssSelector("button.slot[value='" + wanted + "']")))
                .isEmpty();
        check(browser, "move-taken", false);
        browser.get(url("/mes-rendez-vous/" + id));
        assertThat(browser.findElement(By.id("appointment-time")).getText())
                .isEqualTo("mercredi 13 janvier 2027 10:00");
        assertThat(browser.findElement(By.id("appointment-status")).getText()).isEqualTo("Confirmé");
    }

    @Test
    void pastTheCutOffThePageShowsTheCutOffAndOffersNoSlot() {
        Practice practice = fixtures.practice("dermatologue");
        String email = PageChecks.newEmail("move-late");
        // Tomorrow, Tuesday at 10:00: its 24-hour cut-off is today at 10:00, and the clock then passes it.
        String id = booked(practice, email, Instant.parse("2027-01-05T09:00:00Z"));
        clock.set(Instant.parse("2027-01-04T09:30:00Z"));
        PageChecks.signIn(browser, url(""), email);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upcoming")));
        browser.get(url("/mes-rendez-vous/" + id));
        assertThat(browser.findElements(By.id("move"))).isEmpty();
        assertThat(browser.findElement(By.id("move-too-late")).getText())
                .isEqualTo(
                        "Le déplacement en ligne était possible jusqu’au lundi 4 janvier 10:00 : appelez le cabinet.");
        browser.get(url("/mes-rendez-vous/" + id + "/deplacer"));
        assertThat(browser.findElement(By.id("cutoff-passed")).getText()).contains("lundi 4 janvier 10:00");
        assertThat(browser.findElements(By.cssSelector("button.slot"))).isEmpty();
    }

    /** A confirmed appointment of a new patient account, through the JSON API. */
    private String booked(Practice practice, String email, Instant start) {
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email);
        String id = patient.post("/api/v1/appointments", slot(practice, start.toString()))
                .text("id");
        assertThat(patient.post("/api/v1/appointments/" + id + "/confirm", Map.of())
                        .status())
                .isEqualTo(200);
        return id;
    }

    private static Map<String, Object> slot(Practice practice, String start) {
        return Map.of(
                "practitionerId", practice.practitionerId(),
                "siteId", practice.siteId(),
                "motiveId", practice.motiveId(),
                "start", start);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
