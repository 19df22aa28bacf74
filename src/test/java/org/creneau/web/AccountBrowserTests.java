package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * "My account" in a real browser: a patient reaches it by keyboard, adds, edits and removes a
 * relative, changes the password, turns the second factor on with the code computed from the
 * secret shown, signs in again with it, and signs out everywhere (a second browser is out too).
 * Each page is checked by axe-core in French and English and photographed at 375 and 1280 px,
 * the answers to forms too (a refused password, the recovery codes shown once).
 */
@IntegrationTest
class AccountBrowserTests {

    static final Path SCREENSHOTS = PageChecks.SCREENSHOTS;
    static final String NEW_PASSWORD = "Encore-un-mot-de-passe-2027";

    @LocalServerPort
    int port;

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
    void aPatientManagesRelativesPasswordAndSecondFactorThenSignsOutEverywhere() {
        String email = "compte-" + UUID.randomUUID() + "@test.creneau.fr";
        browser.get(url("/se-connecter"));
        register(email);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-account")));

        // The header's link is reached with the keyboard alone.
        browser.get(url("/"));
        WebElement active = browser.switchTo().activeElement();
        for (int i = 0; i < 10 && !"link-account".equals(active.getAttribute("id")); i++) {
            active.sendKeys(Keys.TAB);
            active = browser.switchTo().activeElement();
        }
        assertThat(active.getAttribute("id")).isEqualTo("link-account");
        active.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("manage-relatives")));
        assertThat(browser.findElement(By.id("profile-firstName")).getText()).isEqualTo("Camille");
        check(browser, "account");

        // Relatives: add, edit, remove.
        browser.findElement(By.id("manage-relatives")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("no-relatives")));
        check(browser, "relatives-empty");
        new Select(browser.findElement(By.id("relationship"))).selectByValue("CHILD");
        browser.findElement(By.id("rel-firstName")).sendKeys("Léo");
        browser.findElement(By.id("rel-lastName")).sendKeys("Durand");
        setValue(browser.findElement(By.id("rel-birthDate")), "2019-05-12");
        browser.findElement(By.id("add-relative")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        assertThat(names()).containsExactly("Léo Durand");
        check(browser, "relatives");

        browser.findElement(By.cssSelector(".edit-relative")).click();
        WebElement firstName = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rel-firstName")));
        check(browser, "relative");
        firstName = browser.findElement(By.id("rel-firstName"));
        firstName.clear();
        browser.findElement(By.id("save-relative")).click();
        // The browser refuses the empty required field: nothing was sent.
        assertThat(browser.findElements(By.id("done"))).isEmpty();
        browser.findElement(By.id("rel-firstName")).sendKeys("Léon");
        browser.findElement(By.id("save-relative")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        assertThat(names()).containsExactly("Léon Durand");

        browser.findElement(By.cssSelector(".edit-relative")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("remove-relative")))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("no-relatives")));
        assertThat(browser.findElement(By.id("done")).getText()).isEqualTo("Le proche est retiré de votre compte.");

        // Password: the wrong current one is said at its field, then the change goes through.
        browser.findElement(By.id("link-account")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("change-password")))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("currentPassword")))
                .sendKeys("pas-le-bon-mot-de-passe");
        browser.findElement(By.id("newPassword")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.cssSelector("#password-form button[type=submit]"))
                .click();
        WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("currentPassword-error")));
        assertThat(error.getText()).isEqualTo("Ce n’est pas votre mot de passe actuel.");
        assertThat(browser.findElement(By.id("currentPassword")).getAttribute("aria-describedby"))
                .isEqualTo("currentPassword-error");
        photograph(browser, "password-refused", "fr");
        // The same refusal in English (the language is remembered: the form answers in it).
        refusePassword("en");
        assertThat(browser.findElement(By.id("currentPassword-error")).getText())
                .isEqualTo("This is not your current password.");
        photograph(browser, "password-refused", "en");
        check(browser, "password");
        browser.findElement(By.id("currentPassword")).clear();
        browser.findElement(By.id("currentPassword")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.id("newPassword")).clear();
        browser.findElement(By.id("newPassword")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.cssSelector("#password-form button[type=submit]"))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));

        // Second factor: the QR code loads under the strict CSP, the typed secret gives the code.
        browser.findElement(By.id("manage-second-factor")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("turn-on")));
        check(browser, "second-factor-off");
        browser.findElement(By.id("turn-on")).click();
        WebElement qr = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("qr")));
        wait.until(d -> ((Number) browser.executeScript("return arguments[0].naturalWidth;", qr)).intValue() > 0);
        check(browser, "second-factor-enrol");
        // The recovery codes are shown once, in the answer to the confirmation: in English first,
        // then, after turning the second factor off with a code, in French with a new secret.
        browser.get(url("/mon-compte/double-authentification?lang=en"));
        String first = confirmSecondFactor();
        assertThat(browser.findElement(By.id("recovery-title")).getText()).isEqualTo("Your recovery codes");
        photograph(browser, "second-factor-codes", "en");
        browser.get(url("/mon-compte/double-authentification"));
        clock.advance(Duration.ofSeconds(30));
        browser.findElement(By.id("off-code")).sendKeys(ApiClient.totp(first, clock.instant()));
        browser.findElement(By.id("turn-off")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("manage-second-factor")));
        browser.get(url("/mon-compte/double-authentification?lang=fr"));
        browser.findElement(By.id("turn-on")).click();
        clock.advance(Duration.ofSeconds(30));
        String secret = confirmSecondFactor();
        assertThat(secret).isNotEqualTo(first);
        assertThat(browser.findElement(By.id("recovery-title")).getText()).isEqualTo("Vos codes de secours");
        photograph(browser, "second-factor-codes", "fr");

        // Signing in again asks for the code (the next 30-second step: a code is good once).
        browser.findElement(By.cssSelector(".patient-nav button.link-button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-sign-in")));
        clock.advance(Duration.ofSeconds(30));
        signIn(browser, wait, email, secret);
        assertThat(browser.findElement(By.id("second-factor-status")).getText())
                .isEqualTo("Double authentification : activée.");

        // Sign out everywhere: the second browser's session ends with this one.
        second = Browser.start();
        WebDriverWait secondWait = new WebDriverWait(second, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(30));
        signIn(second, secondWait, email, secret);
        browser.findElement(By.id("sign-out-everywhere")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-sign-in")));
        second.get(url("/mon-compte"));
        secondWait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-form")));
        assertThat(second.findElements(By.id("link-account"))).isEmpty();
    }

    /** Sends the password form with a wrong current password, the page in {@code lang}. */
    private void refusePassword(String lang) {
        browser.get(url("/mon-compte/mot-de-passe?lang=" + lang));
        browser.findElement(By.id("currentPassword")).sendKeys("pas-le-bon-mot-de-passe");
        browser.findElement(By.id("newPassword")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.cssSelector("#password-form button[type=submit]"))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("currentPassword-error")));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo(lang);
    }

    /** Confirms the enrolment shown with the code of its secret; returns the secret, on the recovery codes' page. */
    private String confirmSecondFactor() {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
        String secret = browser.findElement(By.id("secret")).getText().replace(" ", "");
        browser.findElement(By.id("code")).sendKeys(ApiClient.totp(secret, clock.instant()));
        browser.findElement(By.id("confirm-second-factor")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-codes")));
        assertThat(browser.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
        return secret;
    }

    private void signIn(ChromeDriver driver, WebDriverWait until, String email, String secret) {
        driver.get(url("/se-connecter"));
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(NEW_PASSWORD);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("code")))
                .sendKeys(ApiClient.totp(secret, clock.instant()));
        driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("link-account")))
                .click();
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("second-factor-status")));
    }

    private List<String> names() {
        return browser.findElements(By.cssSelector("#relatives .relative-name")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private void register(String email) {
        browser.findElement(By.id("r-firstName")).sendKeys("Camille");
        browser.findElement(By.id("r-lastName")).sendKeys("Durand");
        setValue(browser.findElement(By.id("r-birthDate")), "1990-03-14");
        browser.findElement(By.id("r-email")).sendKeys(email);
        browser.findElement(By.id("r-phone")).sendKeys("06 12 34 56 78");
        browser.findElement(By.id("r-password")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.cssSelector("#register-form button[type=submit]"))
                .click();
        // Registration answers "check your email" whether or not the address was taken: then sign in.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("registered")));
        browser.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    private void setValue(WebElement input, String value) {
        browser.executeScript("arguments[0].value = arguments[1];", input, value);
    }

    /** The page, in English then French, at 375 and 1280 px: photographed, and axe-core finds nothing serious. */
    private void check(ChromeDriver driver, String name) {
        String here = driver.getCurrentUrl();
        for (String lang : List.of("en", "fr")) {
            driver.get(withLang(here, lang));
            assertThat(driver.findElement(By.tagName("html")).getAttribute("lang"))
                    .isEqualTo(lang);
            photograph(driver, name, lang);
        }
    }

    private void photograph(ChromeDriver driver, String name, String lang) {
        try {
            Files.createDirectories(SCREENSHOTS);
            for (int width : List.of(375, 1280)) {
                driver.manage().window().setSize(new Dimension(width, 900));
                Files.write(
                        SCREENSHOTS.resolve("account-" + name + "-" + lang + "-" + width + ".png"),
                        driver.getScreenshotAs(OutputType.BYTES));
                assertThat(PageChecks.axeViolations(driver))
                        .as(name + " in " + lang + " at " + width + " px")
                        .isEmpty();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    private static String withLang(String url, String lang) {
        String bare = url.replaceAll("[?&]lang=[a-z]+", "");
        return bare + (bare.contains("?") ? "&" : "?") + "lang=" + lang;
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
