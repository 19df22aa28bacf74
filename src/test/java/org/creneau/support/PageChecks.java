package org.creneau.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What every browser test does to a page: axe-core in French and English (serious and critical
 * violations fail), screenshots (375 and 1280 px for the patients' pages, 768 and 1280 px for the
 * practices'), and signing in.
 */
public final class PageChecks {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private PageChecks() {}

    /** The page in French and English at 375 and 1280 px: photographed, and axe-core finds nothing serious. */
    public static void check(ChromeDriver driver, String name) {
        check(driver, name, true);
    }

    /**
     * {@code canReload} false: a page answered to a form (its message would not survive a reload) is
     * checked as it is, in French only.
     */
    public static void check(ChromeDriver driver, String name, boolean canReload) {
        check(driver, name, canReload, List.of(375, 1280));
    }

    /** A practice page, used at a desk or on a tablet: 768 and 1280 px, both languages. */
    public static void checkStaffPage(ChromeDriver driver, String name) {
        check(driver, name, true, List.of(768, 1280));
    }

    /** The page at each of {@code widths}, in both languages unless it cannot be reloaded. */
    public static void check(ChromeDriver driver, String name, boolean canReload, List<Integer> widths) {
        String here = driver.getCurrentUrl();
        try {
            Files.createDirectories(SCREENSHOTS);
            for (String lang : canReload ? List.of("en", "fr") : List.of("fr")) {
                if (canReload) {
                    driver.get(withLang(here, lang));
                }
                assertThat(driver.findElement(By.tagName("html")).getAttribute("lang"))
                        .isEqualTo(lang);
                for (int width : widths) {
                    driver.manage().window().setSize(new Dimension(width, 900));
                    Files.write(
                            SCREENSHOTS.resolve(name + "-" + lang + "-" + width + ".png"),
                            driver.getScreenshotAs(OutputType.BYTES));
                    assertThat(axeViolations(driver))
                            .as(name + " in " + lang + " at " + width + " px")
                            .isEmpty();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    /**
     * Signs a staff member in through /connexion with the password and the authenticator code of the
     * clock's current 30-second step (each code is accepted once per account: advance the clock
     * before signing the same account in again), and waits until the landing page is there.
     */
    public static void signInStaff(ChromeDriver driver, String base, String email, Clock clock) {
        driver.get(base + "/connexion");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("code")))
                .sendKeys(ApiClient.totp(Fixtures.TOTP_SECRET, clock.instant()));
        driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.not(ExpectedConditions.urlContains("/connexion")));
    }

    /** Signs a patient in through the page's form. */
    public static void signIn(ChromeDriver driver, String base, String email) {
        driver.get(base + "/se-connecter");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    public static String newEmail(String who) {
        return who + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }

    private static String withLang(String url, String lang) {
        String bare = url.replaceAll("[?&]lang=[a-z]+", "");
        return bare + (bare.contains("?") ? "&" : "?") + "lang=" + lang;
    }

    public static List<String> axeViolations(ChromeDriver driver) throws IOException {
        driver.executeScript(axeSource());
        Object found = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));
                """);
        @SuppressWarnings("unchecked")
        List<String> violations = (List<String>) found;
        return violations;
    }

    private static String axeSource() throws IOException {
        try (InputStream in =
                PageChecks.class.getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
