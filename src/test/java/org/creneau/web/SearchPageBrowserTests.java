package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
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

/** A patient's first minute, in a real browser: search a doctor in Paris and open their page. */
@IntegrationTest
class SearchPageBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

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
        browser.findElement(By.id("city")).sendKeys("Paris");
        browser.findElement(By.cssSelector("form.search button")).click();

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
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
        assertThat(results.get(0).findElement(By.cssSelector(".next-slot")).getText())
                .startsWith("Prochain créneau");
        assertThat(browser.getCurrentUrl()).contains("/recherche?specialty=medecin-generaliste");

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
