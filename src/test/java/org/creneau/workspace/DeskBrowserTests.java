package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The desk in a real browser: a secretary's morning over two doctors' day (a phoned-in patient found
 * by phone and booked, a move, an arrival, a no-show), and a patient's online booking appearing in
 * the open day without a reload. Every page axe-clean at 768 and 1280 px in both languages.
 */
@IntegrationTest
class DeskBrowserTests {

    /** Monday 4 January 2027 in Paris: 09:00 and 09:30, the fixtures' first slots. */
    static final Instant MONDAY_9 = Instant.parse("2027-01-04T08:00:00Z");

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

    private Response book(ApiClient desk, UUID practitioner, UUID motive, UUID site, Instant start, String last) {
        Response booked = desk.post(
                "/api/v1/staff/agendas/" + practitioner + "/appointments",
                Map.of(
                        "motiveId",
                        motive,
                        "siteId",
                        site,
                        "start",
                        start.toString(),
                        "patient",
                        Map.of(
                                "firstName",
                                "Lucie",
                                "lastName",
                                last,
                                "birthDate",
                                "1985-06-07",
                                "phone",
                                "06 55 44 33 " + (10 + last.length()))));
        assertThat(booked.status()).as("%s", booked.body()).isEqualTo(201);
        return booked;
    }

    private WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void aSecretaryRunsTheMorningOfTwoDoctorsFromThePracticeDay() {
        Practice practice = fixtures.practice("dermatologue");
        SecondAgenda second = fixtures.secondPractitioner(practice, true);
        ApiClient api = SignIn.staff(port, practice.staffEmail());
        String arriving = book(
                        api, practice.practitionerId(), practice.motiveId(), practice.siteId(), MONDAY_9, "Bernard")
                .text("id");
        String missing = book(
                        api,
                        second.practitionerId(),
                        second.motiveId(),
                        practice.siteId(),
                        MONDAY_9.plus(Duration.ofMinutes(30)),
                        "Oubli")
                .text("id");
        // 10:45 in Paris: both appointments have started, 11:00 and 11:30 are still free.
        clock.set(MONDAY_9.plus(Duration.ofMinutes(105)));
        String base = "http://localhost:" + port;

        PageChecks.signInStaff(browser, base, practice.staffEmail(), clock);
        browser.get(base + "/cabinet");
        browser.findElement(By.id("nav-day")).click();
        assertThat(browser.findElements(By.cssSelector(".board-column")))
                .extracting(e -> e.getAttribute("id"))
                .containsExactlyInAnyOrder("column-" + practice.practitionerId(), "column-" + second.practitionerId());
        PageChecks.checkStaffPage(browser, "practice-day");

        // A patient phones: the first free slot of the first doctor, found by her phone number.
        browser.findElement(By.cssSelector("#column-" + practice.practitionerId() + " .row-free a"))
                .click();
        assertThat(browser.findElement(By.id("slot-time")).getText()).contains("11:00");
        PageChecks.checkStaffPage(browser, "practice-book");
        browser.findElement(By.id("recherche")).sendKeys("06 55 44 33 17");
        WebElement found = waiting(10)
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#patient-results .book-patient")));
        assertThat(found.getText()).contains("Lucie Bernard");
        found.click();
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
        assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Le rendez-vous est pris.");
        assertThat(browser.findElements(By.cssSelector(".row-appointment .who")))
                .extracting(WebElement::getText)
                .containsExactly("Lucie Bernard", "Lucie Bernard");
        PageChecks.checkStaffPage(browser, "practice-agenda");

        // The new appointment moves to the next slot.
        browser.findElements(By.cssSelector(".row-appointment a")).get(1).click();
        PageChecks.checkStaffPage(browser, "practice-appointment");
        browser.findElement(By.id("move")).click();
        PageChecks.checkStaffPage(browser, "practice-move");
        browser.findElement(By.cssSelector(".move-slots button")).click();
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
        assertThat(browser.findElement(By.id("flash")).getText()).startsWith("Le rendez-vous est déplacé");
        assertThat(browser.findElement(By.id("appointment-time")).getText()).contains("11:30");

        // The first patient is in the waiting room; the second doctor's patient never came.
        browser.get(base + "/cabinet/journee");
        browser.findElement(By.id("appointment-" + arriving)).click();
        browser.findElement(By.id("mark-arrived")).click();
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
        assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Arrivée notée.");
        assertThat(browser.findElement(By.id("appointment-status")).getText()).isEqualTo("Arrivé");
        browser.get(base + "/cabinet/journee");
        browser.findElement(By.id("appointment-" + missing)).click();
        browser.findElement(By.id("mark-no-show")).click();
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
        assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Absence au rendez-vous notée.");
        assertThat(browser.findElement(By.id("no-show-count")).getText()).isEqualTo("1");

        browser.get(base + "/cabinet/journee");
        assertThat(browser.findElement(By.cssSelector("#appointment-" + arriving + " .status"))
                        .getText())
                .isEqualTo("Arrivé");
        assertThat(browser.findElement(By.cssSelector("#appointment-" + missing + " .status"))
                        .getText())
                .isEqualTo("Absent");
        browser.get(base + "/cabinet/agenda/" + practice.practitionerId() + "?vue=semaine");
        PageChecks.checkStaffPage(browser, "practice-agenda-week");
    }

    @Test
    void aPhonedInPatientIsBookedFromTheAgendaWithTheKeyboardAlone() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient api = SignIn.staff(port, practice.staffEmail());
        book(api, practice.practitionerId(), practice.motiveId(), practice.siteId(), MONDAY_9, "Clavier");
        clock.set(MONDAY_9.plus(Duration.ofMinutes(105)));
        String base = "http://localhost:" + port;
        PageChecks.signInStaff(browser, base, practice.staffEmail(), clock);
        browser.get(base + "/cabinet/agenda/" + practice.practitionerId());

        // Tab to the first free slot, Enter; Tab to the search, type; Tab to the patient found, Enter.
        tabTo(e -> e.getTagName().equals("a")
                        && e.findElements(By.xpath("ancestor::*[contains(@class,'row-free')]"))
                                        .size()
                                == 1)
                .sendKeys(Keys.ENTER);
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("slot-time")));
        tabTo(e -> "recherche".equals(e.getAttribute("id"))).sendKeys("06 55 44 33 17");
        waiting(10)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#patient-results .book-patient")));
        tabTo(e -> e.getAttribute("class") != null && e.getAttribute("class").contains("book-patient"))
                .sendKeys(Keys.ENTER);

        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
        assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Le rendez-vous est pris.");
        assertThat(browser.findElements(By.cssSelector(".row-appointment .who")))
                .extracting(WebElement::getText)
                .containsExactly("Lucie Clavier", "Lucie Clavier");
    }

    /** Presses Tab until the focused element is the one wanted (at most 80 times), and returns it. */
    private WebElement tabTo(java.util.function.Predicate<WebElement> wanted) {
        for (int i = 0; i < 80; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            if (wanted.test(focused)) {
                return focused;
            }
        }
        throw new AssertionError("Tab never reached the element wanted");
    }

    @Test
    void aPatientsOnlineBookingAppearsInTheOpenDayWithoutReload() {
        Practice practice = fixtures.practice("dermatologue");
        String base = "http://localhost:" + port;
        PageChecks.signInStaff(browser, base, practice.staffEmail(), clock);
        browser.get(base + "/cabinet/agenda/" + practice.practitionerId());
        assertThat(browser.findElements(By.cssSelector(".row-appointment"))).isEmpty();
        // A reload would forget this mark.
        browser.executeScript("window.stillTheSamePage = true;");

        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(PageChecks.newEmail("online"));
        Response held = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", MONDAY_9.plus(Duration.ofHours(2)).toString()));
        assertThat(held.status()).as("%s", held.body()).isEqualTo(201);
        assertThat(patient.post("/api/v1/appointments/" + held.text("id") + "/confirm", null)
                        .status())
                .isEqualTo(200);

        waiting(30).until(ExpectedConditions.presenceOfElementLocated(By.id("appointment-" + held.text("id"))));
        assertThat(browser.executeScript("return window.stillTheSamePage === true;"))
                .isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector("#appointment-" + held.text("id") + " .online"))
                        .getText())
                .isEqualTo("réservé en ligne");
        assertThat(browser.findElement(By.id("agenda-news")).getText()).contains("nouveau rendez-vous");
    }
}
