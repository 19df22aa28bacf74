package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DtStart;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The patients' booking in a real browser: a new patient books from a practitioner's page for a
 * child added on the way, downloads the calendar file and cancels; two browsers race for one slot.
 * Each page is checked by axe-core in French and English and photographed at 375 and 1280 px.
 */
@IntegrationTest
class PatientBookingBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    ChromeDriver browser;
    ChromeDriver second;
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
        if (second != null) {
            second.quit();
        }
    }

    @Test
    void aNewPatientBooksForAChildAddedOnTheWayDownloadsTheCalendarFileAndCancels() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        browser.get(url("/praticiens/" + practice.practitionerId()));
        check(browser, "practitioner");
        assertThat(browser.findElements(By.cssSelector("button.slot.soonest"))).hasSize(1);
        // A slot next week: far enough from the practice's 24-hour cut-off to be cancelled online.
        browser.findElement(By.id("next-week")).click();
        WebElement slot = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button.slot")));
        String soonestTime = slot.getText();
        slot.click();

        // Not signed in: the chosen slot waits while the patient creates an account inline.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-needed")));
        check(browser, "booking-sign-in");
        register(browser, "Camille", "Durand");

        WebElement expiry = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hold-expiry")));
        assertThat(expiry.getText()).contains("07:10"); // held 10 minutes from 07:00, Paris time
        assertThat(browser.findElement(By.id("summary-time")).getText()).contains(soonestTime);
        check(browser, "booking-held");

        browser.findElement(By.cssSelector("details summary")).click();
        new Select(browser.findElement(By.id("relationship"))).selectByValue("CHILD");
        browser.findElement(By.id("rel-firstName")).sendKeys("Léo");
        browser.findElement(By.id("rel-lastName")).sendKeys("Durand");
        setValue(browser.findElement(By.id("rel-birthDate")), "2019-05-12");
        browser.findElement(By.id("add-relative")).click();

        WebElement child = wait.until(
                ExpectedConditions.presenceOfElementLocated(By.xpath("//label[normalize-space()='Léo Durand']")));
        assertThat(browser.findElement(By.id(child.getAttribute("for"))).isSelected())
                .isTrue();
        browser.findElement(By.id("confirm")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirmed")));
        assertThat(browser.findElement(By.id("appointment-for")).getText()).isEqualTo("Léo Durand");
        assertThat(browser.findElement(By.id("appointment-status")).getText()).isEqualTo("Confirmé");
        String appointmentPath = URI.create(browser.getCurrentUrl()).getPath();
        check(browser, "confirmation");

        Calendar calendar = download(browser.findElement(By.id("ics")).getAttribute("href"));
        VEvent event = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
        DtStart<?> start = event.getDateTimeStart();
        assertThat(start.getParameter("TZID").orElseThrow().getValue()).isEqualTo("Europe/Paris");
        ZonedDateTime at = (ZonedDateTime) start.getDate();
        // ical4j names the file's own VTIMEZONE locally; its offset is Paris's at that moment.
        assertThat(at.getOffset())
                .isEqualTo(java.time.ZoneId.of("Europe/Paris").getRules().getOffset(at.toInstant()));
        assertThat(at.toLocalTime().toString()).isEqualTo(soonestTime);
        assertThat(event.getProperty(Property.LOCATION).orElseThrow().getValue())
                .contains("rue de Test")
                .contains("75011 Testville");
        assertThat(calendar.getComponent("VTIMEZONE")).isPresent();

        browser.findElement(By.id("link-appointments")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#upcoming li")));
        assertThat(row.findElement(By.className("status")).getText()).isEqualTo("Confirmé");
        check(browser, "appointments");
        browser.findElement(By.cssSelector("#upcoming li a")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cutoff")));
        browser.findElement(By.id("cancel")).click();
        // The reason is required: the browser refuses the empty form, so nothing was cancelled.
        assertThat(browser.findElements(By.id("cancelled"))).isEmpty();
        browser.findElement(By.id("reason")).sendKeys("Empêchement");
        browser.findElement(By.id("cancel")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cancelled")));
        assertThat(browser.findElement(By.id("appointment-status")).getText()).isEqualTo("Annulé");
        check(browser, "appointment-cancelled");

        // Another patient's appointment answers like a missing one.
        second = Browser.start();
        second.get(url("/se-connecter"));
        register(second, "Alix", "Martin");
        second.get(url(appointmentPath));
        String stranger = second.findElement(By.tagName("h1")).getText();
        second.get(url("/mes-rendez-vous/" + UUID.randomUUID()));
        assertThat(stranger)
                .isEqualTo(second.findElement(By.tagName("h1")).getText())
                .isEqualTo("Page introuvable");
    }

    @Test
    void twoBrowsersRaceForOneSlotAndTheLoserIsToldAndShownOtherSlots() {
        Practice practice = fixtures.practice("dermatologue");
        second = Browser.start();
        second.get(url("/se-connecter"));
        register(second, "Sacha", "Petit");
        second.get(url("/praticiens/" + practice.practitionerId()));
        browser.get(url("/praticiens/" + practice.practitionerId()));

        browser.findElement(By.cssSelector("button.slot.soonest")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-needed")));
        register(browser, "Dominique", "Leroy");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hold-expiry")));

        // The second browser's page still offers the slot the first one now holds.
        second.findElement(By.cssSelector("button.slot.soonest")).click();
        WebElement told = new WebDriverWait(second, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("slot-taken")));
        assertThat(told.getText())
                .isEqualTo(
                        "Ce créneau n’est plus libre : quelqu’un l’a réservé, ou le praticien n’est plus disponible.");
        List<WebElement> others = second.findElements(By.cssSelector(".next-slots button.slot"));
        assertThat(others).isNotEmpty();
        check(second, "slot-taken");

        // One of the offered slots can be taken at once.
        others.get(0).click();
        new WebDriverWait(second, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("hold-expiry")));
        browser.findElement(By.id("confirm")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirmed")));
    }

    private void register(ChromeDriver driver, String firstName, String lastName) {
        driver.findElement(By.id("r-firstName")).sendKeys(firstName);
        driver.findElement(By.id("r-lastName")).sendKeys(lastName);
        setValue(driver, driver.findElement(By.id("r-birthDate")), "1990-03-14");
        driver.findElement(By.id("r-email"))
                .sendKeys(firstName.toLowerCase() + "-" + UUID.randomUUID() + "@test.creneau.fr");
        driver.findElement(By.id("r-phone")).sendKeys("06 12 34 56 78");
        driver.findElement(By.id("r-password")).sendKeys(Fixtures.PASSWORD);
        driver.findElement(By.cssSelector("#register-form button[type=submit]")).click();
        // Registration answers "check your email" whether or not the address was taken: then sign in.
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("registered")));
        driver.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("link-account")));
    }

    private void setValue(WebElement input, String value) {
        setValue(browser, input, value);
    }

    private static void setValue(ChromeDriver driver, WebElement input, String value) {
        driver.executeScript("arguments[0].value = arguments[1];", input, value);
    }

    /** The page, in French then English, at 375 and 1280 px: photographed, and axe-core finds nothing serious. */
    private void check(ChromeDriver driver, String name) {
        // The slot-taken answer is a form's: its message would not survive a reload.
        PageChecks.check(driver, name, !name.equals("slot-taken"));
    }

    /** Downloads with the browser's session cookie and parses the file with ical4j. */
    private Calendar download(String href) throws Exception {
        String cookies = browser.manage().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(href))
                                .header("Cookie", cookies)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/calendar");
        return new CalendarBuilder().build(new StringReader(response.body()));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
