package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The patient file's search page says what a real criterion is, in both languages, and refuses one letter. */
@IntegrationTest
class PatientFileCriterionBrowserTests {

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

    @Test
    void aOneLetterSearchIsRefusedWithTheCriterionSaidInFrenchAndEnglish() {
        Practice practice = fixtures.practice("dermatologue");
        String base = "http://localhost:" + port;
        PageChecks.signInStaff(browser, base, practice.staffEmail(), clock);

        browser.get(base + "/cabinet/patients");
        assertThat(browser.findElement(By.id("search-hint")).getText()).startsWith("Au moins 2 lettres");
        browser.findElement(By.id("search-name")).sendKeys("%");
        browser.findElement(By.id("search-patients")).click();
        assertThat(browser.findElement(By.id("search-name-error")).getText())
                .isEqualTo("Indiquez au moins 2 lettres d’un nom, un téléphone de 6 chiffres au moins ou une date de"
                        + " naissance complète.");
        PageChecks.checkStaffPage(browser, "patients-criterion-fr");

        browser.get(base + "/cabinet/patients?lang=en");
        assertThat(browser.findElement(By.id("search-hint")).getText()).startsWith("At least 2 letters");
        browser.findElement(By.id("search-name")).sendKeys("a");
        browser.findElement(By.id("search-patients")).click();
        assertThat(browser.findElement(By.id("search-name-error")).getText())
                .isEqualTo("Enter at least 2 letters of a name, a phone number of 6 digits or more, or a full date of"
                        + " birth.");
        PageChecks.checkStaffPage(browser, "patients-criterion-en");
    }
}
