package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The agenda settings, the waiting list and the patient file in a real browser, one browser for the
 * class: an absence over a day with two appointments lists exactly those two before it is confirmed,
 * then they are cancelled for the practice and for the patient alike; every page is axe-clean in
 * French and English at 768 and 1280 px, and photographed.
 */
@IntegrationTest
class SettingsBrowserTests {

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @BeforeAll
    static void open() {
        browser = Browser.start();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        browser.manage().deleteAllCookies();
    }

    String base() {
        return "http://localhost:" + port;
    }

    @Test
    void anAbsenceOverADayWithTwoAppointmentsListsExactlyThoseThenCancelsThem() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient patient = new ApiClient(port, clock);
        patient.registerAndLogin("absence-" + UUID.randomUUID() + "@test.creneau.fr");
        String online = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", TUESDAY_9.toString()))
                .text("id");
        assertThat(patient.post("/api/v1/appointments/" + online + "/confirm", null)
                        .text("status"))
                .isEqualTo("BOOKED");
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        String phoned = desk.post(
                        "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments",
                        Map.of(
                                "motiveId",
                                practice.motiveId(),
                                "siteId",
                                practice.siteId(),
                                "start",
                                TUESDAY_9.plus(Duration.ofHours(2)).toString(),
                                "patient",
                                Map.of(
                                        "firstName", "Paul",
                                        "lastName", "Telephone",
                                        "birthDate", "1961-07-14",
                                        "phone", "+33 6 98 76 54 32")))
                .text("id");
        String wednesday = desk.post(
                        "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments",
                        Map.of(
                                "motiveId",
                                practice.motiveId(),
                                "siteId",
                                practice.siteId(),
                                "start",
                                TUESDAY_9.plus(Duration.ofDays(1)).toString(),
                                "patient",
                                Map.of(
                                        "firstName", "Rose",
                                        "lastName", "Mercredi",
                                        "birthDate", "1990-01-01",
                                        "phone", "+33 6 11 22 33 44")))
                .text("id");
        clock.advance(Duration.ofSeconds(30));

        PageChecks.signInStaff(browser, base(), practice.staffEmail(), clock);
        browser.get(base() + "/cabinet");
        browser.findElement(By.cssSelector("a[href$='/reglages']")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("absence-form")));
        PageChecks.checkStaffPage(browser, "practice-settings");

        setValue(browser.findElement(By.id("absence-from")), "2027-01-05T00:00");
        setValue(browser.findElement(By.id("absence-to")), "2027-01-06T00:00");
        browser.findElement(By.id("absence-patientMessage")).sendKeys("Merci de reprendre rendez-vous.");
        browser.findElement(By.id("preview-absence")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-absence")));

        assertThat(browser.findElements(By.cssSelector("#covered .covered")))
                .extracting(e -> e.getAttribute("id"))
                .containsExactly("covered-" + online, "covered-" + phoned);
        assertThat(browser.findElements(By.cssSelector("#covered .covered-patient")))
                .extracting(WebElement::getText)
                .containsExactly("Jeanne Testeuse", "Paul Telephone");
        assertThat(browser.findElement(By.id("covers-count")).getText()).contains("2 rendez-vous");
        PageChecks.check(browser, "practice-settings-absence", false, List.of(768, 1280));
        assertThat(desk.get("/api/v1/staff/appointments/" + online).text("status"))
                .as("nothing is cancelled before confirming")
                .isEqualTo("BOOKED");

        browser.findElement(By.id("confirm-absence")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));

        assertThat(browser.getCurrentUrl()).endsWith("/reglages#absences");
        assertThat(browser.findElements(By.cssSelector(".absence-row"))).hasSize(1);
        for (String id : List.of(online, phoned)) {
            assertThat(desk.get("/api/v1/staff/appointments/" + id).text("status"))
                    .isEqualTo("CANCELLED");
        }
        assertThat(desk.get("/api/v1/staff/appointments/" + wednesday).text("status"))
                .isEqualTo("BOOKED");
        assertThat(patient.get("/api/v1/appointments/" + online).text("status"))
                .as("the patient sees it cancelled too")
                .isEqualTo("CANCELLED");
    }

    @Test
    void everySettingsWaitlistAndPatientFilePagePassesAxeInBothLanguages() {
        Practice practice = fixtures.practice("pediatre");
        ApiClient waiting = new ApiClient(port, clock);
        waiting.registerAndLogin("waiting-" + UUID.randomUUID() + "@test.creneau.fr");
        assertThat(waiting.post(
                                "/api/v1/waitlist",
                                Map.of("practitionerId", practice.practitionerId(), "motiveId", practice.motiveId()))
                        .status())
                .isEqualTo(201);
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        String orgPatientId = desk.post(
                        "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments",
                        Map.of(
                                "motiveId",
                                practice.motiveId(),
                                "siteId",
                                practice.siteId(),
                                "start",
                                TUESDAY_9.toString(),
                                "patient",
                                Map.of(
                                        "firstName", "Lucie",
                                        "lastName", "Dossier",
                                        "birthDate", "2015-03-03",
                                        "phone", "+33 6 44 55 66 77")))
                .text("orgPatientId");
        clock.advance(Duration.ofSeconds(30));
        PageChecks.signInStaff(browser, base(), practice.staffEmail(), clock);
        String agenda = base() + "/cabinet/agenda/" + practice.practitionerId();

        browser.get(agenda + "/reglages/motifs/" + practice.motiveId());
        assertThat(browser.findElement(By.id("motive-label")).getAttribute("value"))
                .isEqualTo("Consultation");
        PageChecks.checkStaffPage(browser, "practice-settings-motive");

        browser.get(agenda + "/liste-d-attente");
        assertThat(browser.findElements(By.cssSelector(".in-line"))).hasSize(1);
        PageChecks.checkStaffPage(browser, "practice-waitlist");

        browser.get(base() + "/cabinet");
        browser.findElement(By.id("nav-patients")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("search-phone")));
        PageChecks.checkStaffPage(browser, "practice-patients");
        browser.findElement(By.id("search-phone")).sendKeys("06 44 55 66 77");
        browser.findElement(By.id("search-patients")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("results")));
        assertThat(browser.getCurrentUrl()).doesNotContain("44");
        PageChecks.check(browser, "practice-patients-found", false, List.of(768, 1280));
        browser.findElement(By.cssSelector("#patient-" + orgPatientId + " a")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("patient-name")));
        assertThat(browser.findElement(By.id("patient-name")).getText()).isEqualTo("Lucie Dossier");
        PageChecks.checkStaffPage(browser, "practice-patient");

        browser.get(base() + "/cabinet/patients/" + UUID.randomUUID());
        assertThat(browser.findElements(By.id("not-found"))).hasSize(1);
        PageChecks.checkStaffPage(browser, "practice-not-found");
    }

    private static void setValue(WebElement input, String value) {
        browser.executeScript("arguments[0].value = arguments[1];", input, value);
    }
}
