package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.creneau.support.Fixtures;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What every browser test of the patients' pages does to a page: axe-core in French and English
 * (serious and critical violations fail), screenshots at 375 and 1280 px, and signing in.
 */
final class PageChecks {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private PageChecks() {}

    /** The page in French and English at 375 and 1280 px: photographed, and axe-core finds nothing serious. */
    static void check(ChromeDriver driver, String name) {
        check(driver, name, true);
    }

    /**
     * {@code canReload} false: a page answered to a form (its message would not survive a reload) is
     * checked as it is, in French only.
     */
    static void check(ChromeDriver driver, String name, boolean canReload) {
        String here = driver.getCurrentUrl();
        try {
            Files.createDirectories(SCREENSHOTS);
            for (String lang : canReload ? List.of("en", "fr") : List.of("fr")) {
                if (canReload) {
                    driver.get(withLang(here, lang));
                }
                assertThat(driver.findElement(By.tagName("html")).getAttribute("lang"))
                        .isEqualTo(lang);
                for (int width : List.of(375, 1280)) {
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

    /** Signs a patient in through the page's form. */
    static void signIn(ChromeDriver driver, String base, String email) {
        driver.get(base + "/se-connecter");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    static String newEmail(String who) {
        return who + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }

    private static String withLang(String url, String lang) {
        String bare = url.replaceAll("[?&]lang=[a-z]+", "");
        return bare + (bare.contains("?") ? "&" : "?") + "lang=" + lang;
    }

    static List<String> axeViolations(ChromeDriver driver) throws IOException {
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
