package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A patient's first minute, in a real browser: search a doctor in Paris and open their page. */
@IntegrationTest
class SearchPageBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    Fixtures fixtures;

    ChromeDriver browser;

    @BeforeEach
    void open() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPatientFindsAGeneralPractitionerInParisAndSeesTheirFreeSlots() {
        browser.get("http://localhost:" + port + "/");
        assertThat(browser.getTitle()).contains("Créneau");
        browser.findElement(By.id("specialty")).sendKeys("Médecin généraliste");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        // The suggestions come while typing (and move the form's buttons down): wait for them first.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#specialty-suggestions [role=option]")));
        browser.findElement(By.id("city")).sendKeys("Paris");
        browser.findElement(By.id("search-submit")).click();

        List<WebElement> results =
                wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#results li.result"), 0));
        // The page shows the same first practitioner as the JSON API.
        String firstFromApi = new ApiClient(port)
                .get("/api/v1/search?specialty=medecin-generaliste&city=Paris")
                .body()
                .path("items")
                .get(0)
                .path("name")
                .asString();
        assertThat(results.get(0).findElement(By.tagName("h3")).getText()).isEqualTo(firstFromApi);
        assertThat(results.get(0).findElement(By.cssSelector(".slots-label")).getText())
                .isEqualTo("Prochains créneaux :");
        assertThat(results.get(0).findElements(By.cssSelector("form.next-slot button.slot")))
                .hasSizeGreaterThan(1);
        assertThat(browser.getCurrentUrl()).contains("/recherche?specialty=M");

        results.get(0).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ul.motives")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(firstFromApi);
        assertThat(browser.findElements(By.cssSelector("ul.motives li strong")))
                .extracting(WebElement::getText)
                .anySatisfy(t -> assertThat(t).startsWith("Première consultation"));
        // The soonest free slot of the next 14 days is named, as the search result promised one.
        assertThat(browser.findElement(By.id("soonest")).getText()).isNotBlank();
    }

    @Test
    void typingPediatreSuggestsPediatreAroundMeUsesThePositionAndASlotButtonStartsTheBooking() {
        String city = "Autour" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Practice practice = fixtures.practice("pediatre", city, 43.3, 5.4);
        browser.get("http://localhost:" + port + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.findElement(By.id("specialty")).sendKeys("pediatre");
        WebElement suggestion = wait.until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("#specialty-suggestions [role=option]")));
        assertThat(suggestion.getText()).isEqualTo("Pédiatre");
        suggestion.click();
        assertThat(browser.findElement(By.id("specialty")).getAttribute("value"))
                .isEqualTo("Pédiatre");
        assertThat(browser.findElement(By.id("specialty-suggestions")).isDisplayed())
                .isFalse();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("specialty");

        // "Around me": the position is asked only on the click; the browser here grants a fixed one.
        browser.executeCdpCommand(
                "Browser.grantPermissions",
                Map.of("origin", "http://localhost:" + port, "permissions", List.of("geolocation")));
        browser.executeCdpCommand(
                "Emulation.setGeolocationOverride", Map.of("latitude", 43.3, "longitude", 5.4, "accuracy", 50));
        browser.findElement(By.id("around-me")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#results h2"), "autour de vous"));
        WebElement card = browser.findElements(By.cssSelector("#results li.result")).stream()
                .filter(c -> c.findElement(By.cssSelector("h3 a"))
                        .getAttribute("href")
                        .endsWith(practice.practitionerId().toString()))
                .findFirst()
                .orElseThrow();
        assertThat(card.findElement(By.className("distance")).getText()).isEqualTo("(à 0,0 km)");
        assertThat(browser.getCurrentUrl()).contains("lat=43.3").doesNotContain("city=" + city);
        PageChecks.check(browser, "search-around-me");

        browser.findElements(By.cssSelector("#results li.result")).stream()
                .filter(c -> c.findElement(By.cssSelector("h3 a"))
                        .getAttribute("href")
                        .endsWith(practice.practitionerId().toString()))
                .findFirst()
                .orElseThrow()
                .findElement(By.cssSelector("button.slot"))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-needed")));
        assertThat(browser.findElement(By.id("summary-practitioner")).getText()).contains("Pédiatre");
    }

    @Test
    void theSpecialtyIsAComboboxArrowDownAndEnterPickPediatreAndSearch() throws Exception {
        String city = "Combo" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Practice practice = fixtures.practice("pediatre", city, 47.2, -1.5);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        for (String lang : List.of("en", "fr")) {
            browser.get("http://localhost:" + port + "/?lang=" + lang);
            WebElement field = browser.findElement(By.id("specialty"));
            assertThat(field.getAttribute("role")).isEqualTo("combobox");
            assertThat(field.getAttribute("aria-autocomplete")).isEqualTo("list");
            assertThat(field.getAttribute("aria-controls")).isEqualTo("specialty-suggestions");
            assertThat(field.getAttribute("aria-expanded")).isEqualTo("false");
            assertThat(field.getAttribute("list")).as("no second, native popup").isNull();
            browser.findElement(By.id("city")).sendKeys(city);
            field.sendKeys("pediatre");
            wait.until(d -> "true".equals(field.getAttribute("aria-expanded")));
            WebElement option = browser.findElement(By.cssSelector("#specialty-suggestions [role=option]"));
            assertThat(option.getText()).isEqualTo("Pédiatre");
            assertThat(browser.findElement(By.id("specialty-suggestions")).getAttribute("role"))
                    .isEqualTo("listbox");
            // How many suggestions there are is said in the polite live region.
            assertThat(browser.findElement(By.id("specialty-status")).getAttribute("aria-live"))
                    .isEqualTo("polite");
            wait.until(d -> !d.findElement(By.id("specialty-status"))
                    .getAttribute("textContent")
                    .isBlank());
            assertThat(browser.findElement(By.id("specialty-status")).getAttribute("textContent"))
                    .startsWith("fr".equals(lang) ? "1 spécialité correspond" : "1 specialty matches");
            // The list open: photographed, and axe-core finds nothing serious.
            for (int width : List.of(375, 1280)) {
                browser.manage().window().setSize(new Dimension(width, 900));
                Files.createDirectories(PageChecks.SCREENSHOTS);
                Files.write(
                        PageChecks.SCREENSHOTS.resolve("search-combobox-" + lang + "-" + width + ".png"),
                        browser.getScreenshotAs(OutputType.BYTES));
                assertThat(PageChecks.axeViolations(browser))
                        .as("combobox open in " + lang + " at " + width + " px")
                        .isEmpty();
            }
            browser.manage().window().setSize(new Dimension(1280, 900));
        }

        // Down moves the active option (the focus stays in the field), Enter picks it and searches.
        WebElement field = browser.findElement(By.id("specialty"));
        field.sendKeys(Keys.ARROW_DOWN);
        assertThat(field.getAttribute("aria-activedescendant")).isEqualTo("specialty-option-0");
        assertThat(browser.findElement(By.id("specialty-option-0")).getAttribute("aria-selected"))
                .isEqualTo("true");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("specialty");
        field.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results li.result")));
        assertThat(field.getAttribute("value")).isEqualTo("Pédiatre");
        assertThat(field.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(field.getAttribute("aria-activedescendant")).isNull();
        assertThat(browser.findElements(By.cssSelector("#results li.result h3 a")).stream()
                        .map(a -> a.getAttribute("href")))
                .anySatisfy(href ->
                        assertThat(href).endsWith(practice.practitionerId().toString()));
        assertThat(browser.getCurrentUrl()).contains("specialty=P").contains("city=" + city);

        // Escape closes the list; typing again opens it.
        field.clear();
        field.sendKeys("derm");
        wait.until(d -> "true".equals(field.getAttribute("aria-expanded")));
        field.sendKeys(Keys.ESCAPE);
        assertThat(field.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(browser.findElement(By.id("specialty-suggestions")).isDisplayed())
                .isFalse();
        assertThat(field.getAttribute("value")).isEqualTo("derm");
        field.sendKeys(Keys.ARROW_UP);
        assertThat(field.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(field.getAttribute("aria-activedescendant")).startsWith("specialty-option-");
    }

    @Test
    void withoutJavaScriptTheSearchFormStillSearchesWhatIsTyped() {
        browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        String city = "SansJs" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Practice practice = fixtures.practice("pediatre", city, 47.3, -1.5);
        browser.get("http://localhost:" + port + "/");
        WebElement field = browser.findElement(By.id("specialty"));
        assertThat(field.getAttribute("list")).isEqualTo("specialty-list");
        field.sendKeys("pediatre");
        browser.findElement(By.id("city")).sendKeys(city);
        browser.findElement(By.id("search-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results li.result")));
        assertThat(browser.findElement(By.id("specialty")).getAttribute("value"))
                .isEqualTo("Pédiatre");
        assertThat(browser.findElement(By.cssSelector("#results li.result h3 a"))
                        .getAttribute("href"))
                .endsWith(practice.practitionerId().toString());
    }

    @Test
    void htmxInjectsNoInlineStyleThatTheCspWouldRefuse() {
        browser.get("http://localhost:" + port + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        // htmx reads its meta config and would add its indicator <style> once the document is ready.
        wait.until(d -> Boolean.TRUE.equals(
                browser.executeScript("return document.readyState === 'complete' && typeof htmx !== 'undefined'")));
        assertThat(browser.executeScript("return htmx.config.includeIndicatorStyles"))
                .isEqualTo(false);
        assertThat(browser.executeScript("return document.querySelectorAll('style, [style]').length"))
                .isEqualTo(0L);
    }

    @Test
    void searchingWithoutACityAsksForOne() {
        browser.get("http://localhost:" + port + "/recherche?specialty=pediatre&city=");
        assertThat(browser.findElement(By.cssSelector("#results .error")).getText())
                .isEqualTo("Indiquez une ville.");
    }
}
