package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole booking with the keyboard alone (Tab, Enter, Space and typing; no click): search,
 * practitioner page, slot, sign-in, confirmation. Each element reached shows a visible focus.
 */
@IntegrationTest
class KeyboardBookingBrowserTests {

    /** How many Tab presses may separate two steps before the test says the element is unreachable. */
    static final int MAX_TABS = 60;

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
    void aPatientBooksWithTheKeyboardAloneAndSeesWhereTheFocusIs() {
        String city = "Clavier" + UUID.randomUUID().toString().substring(0, 8);
        Practice practice = fixtures.practice("osteopathe", city, 44.8, -0.6);
        String email = PageChecks.newEmail("keys");
        new ApiClient(port).registerAndLogin(email);

        browser.get("http://localhost:" + port + "/");
        // The first Tab reaches the skip link, shown when focused; Enter goes to the content.
        WebElement skip = tabTo(e -> "skip".equals(e.getAttribute("class")));
        assertThat(skip.isDisplayed()).isTrue();
        press(Keys.ENTER);
        // The skip link moves the focus to the content itself (main has tabindex="-1")...
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
        // ...so the next Tab lands in the content, not back in the header.
        press(Keys.TAB);
        assertThat(browser.executeScript("return document.getElementById('main').contains(document.activeElement)"))
                .isEqualTo(true);

        WebElement specialty = tabTo(e -> "specialty".equals(e.getAttribute("id")));
        type("osteo");
        // The suggestions are a combobox's listbox: Down chooses one, Enter puts it in the field
        // (no city yet, so the search waits for it).
        wait.until(d -> "true".equals(specialty.getAttribute("aria-expanded")));
        press(Keys.ARROW_DOWN);
        String option = specialty.getAttribute("aria-activedescendant");
        assertThat(browser.findElement(By.id(option)).getText()).isEqualTo("Ostéopathe");
        press(Keys.ENTER);
        wait.until(d -> "Ostéopathe".equals(d.findElement(By.id("specialty")).getAttribute("value")));
        assertThat(specialty.getAttribute("aria-expanded")).isEqualTo("false");
        tabTo(e -> "city".equals(e.getAttribute("id")));
        type(city);
        press(Keys.ENTER);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results li.result")));
        tabTo(e -> e.getTagName().equals("a")
                && e.getAttribute("href").endsWith("/praticiens/" + practice.practitionerId()));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button.slot.soonest")));
        WebElement slot = tabTo(e -> e.getAttribute("class") != null
                && e.getAttribute("class").contains("soonest")
                && e.getTagName().equals("button"));
        String time = slot.getText();
        press(Keys.SPACE);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-needed")));
        tabTo(e -> "email".equals(e.getAttribute("id")));
        type(email);
        tabTo(e -> "password".equals(e.getAttribute("id")));
        type(Fixtures.PASSWORD);
        press(Keys.ENTER);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hold-expiry")));
        assertThat(browser.findElement(By.id("summary-time")).getText()).contains(time);
        tabTo(e -> "confirm".equals(e.getAttribute("id")));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirmed")));
        assertThat(browser.findElement(By.id("appointment-status")).getText()).isEqualTo("Confirmé");
    }

    /**
     * Presses Tab until the focused element matches, and checks that its focus is visible (an
     * outline drawn by :focus-visible); fails if it is not reached.
     */
    private WebElement tabTo(Predicate<WebElement> wanted) {
        for (int i = 0; i < MAX_TABS; i++) {
            press(Keys.TAB);
            WebElement focused = browser.switchTo().activeElement();
            if (wanted.test(focused)) {
                Object outline = browser.executeScript(
                        "const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth;",
                        focused);
                assertThat(String.valueOf(outline))
                        .as("visible focus on " + focused.getTagName() + " " + focused.getAttribute("outerHTML"))
                        .doesNotStartWith("none")
                        .doesNotEndWith(" 0px");
                return focused;
            }
        }
        throw new AssertionError("not reached with " + MAX_TABS + " Tab presses on " + browser.getCurrentUrl());
    }

    private void press(CharSequence key) {
        new Actions(browser).sendKeys(key).perform();
    }

    private void type(String text) {
        new Actions(browser).sendKeys(text).perform();
    }
}
