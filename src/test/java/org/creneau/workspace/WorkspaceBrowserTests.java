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

/** The practice workspace in a real browser, one browser for the class: each page axe-clean and photographed. */
@IntegrationTest
class WorkspaceBrowserTests {

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
    void aSecretarysHomeListsHerAgendaAndPassesAxeAtDeskAndTabletWidths() {
        Practice practice = fixtures.practice("dermatologue");
        String base = "http://localhost:" + port;

        PageChecks.signInStaff(browser, base, practice.staffEmail(), clock);
        browser.get(base + "/cabinet");

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Agendas");
        assertThat(browser.findElements(By.cssSelector(".agenda-entry")))
                .extracting(e -> e.getAttribute("id"))
                .containsExactly("agenda-" + practice.practitionerId());
        assertThat(browser.findElements(By.cssSelector(".practice-nav a")))
                .extracting(e -> e.getAttribute("id"))
                .contains("nav-agendas", "nav-security")
                .doesNotContain("nav-team");
        PageChecks.checkStaffPage(browser, "practice-home");
    }
}
