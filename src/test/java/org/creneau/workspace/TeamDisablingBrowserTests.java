package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The admin disables a secretary from the team page (her open session ends there and then) and
 * enables her again; the page, with a disabled member, passes axe in both languages.
 */
@IntegrationTest
class TeamDisablingBrowserTests {

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    WebDriverWait wait;

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
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @Test
    void anAdminDisablesASecretaryWhoseSessionEndsThenEnablesHerAgain() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        assertThat(secretary.get("/cabinet").status()).isEqualTo(200);
        String base = "http://localhost:" + port;
        String row = "member-" + practice.staffAccountId();

        PageChecks.signInStaff(browser, base, practice.adminEmail(), clock);
        browser.get(base + "/cabinet/equipe");
        browser.findElement(By.cssSelector("#" + row + " button.disable-member"))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));

        assertThat(browser.findElement(By.id(row)).getText()).contains("Désactivé");
        assertThat(browser.findElements(By.cssSelector("#" + row + " button.enable-member")))
                .hasSize(1);
        assertThat(secretary.get("/cabinet").status()).as("her session ended").isEqualTo(302);
        browser.get(base + "/cabinet/equipe");
        PageChecks.checkStaffPage(browser, "practice-team-disabled-member");

        browser.findElement(By.cssSelector("#" + row + " button.enable-member")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        assertThat(browser.findElement(By.id(row)).getText()).doesNotContain("Désactivé");
        clock.advance(Duration.ofSeconds(30));
        assertThat(SignIn.staff(port, practice.staffEmail()).get("/cabinet").status())
                .isEqualTo(200);
    }
}
