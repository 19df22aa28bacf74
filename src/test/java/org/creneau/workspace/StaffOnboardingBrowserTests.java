package org.creneau.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.Fixtures.SecondAgenda;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A new secretary's first day in a real browser: the admin adds her with rights on one agenda; she
 * signs in, enrols an authenticator from the secret shown next to the QR code, sees her recovery codes
 * once and only that agenda; later, her phone lost, a recovery code signs her in once and not twice.
 */
@IntegrationTest
class StaffOnboardingBrowserTests {

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
    void anAdminAddsASecretaryWhoEnrolsSeesOnlyHerAgendaAndLaterSignsInOnceWithARecoveryCode() {
        Practice practice = fixtures.practice("dermatologue");
        SecondAgenda other = fixtures.secondPractitioner(practice, true);
        String base = "http://localhost:" + port;
        String email = PageChecks.newEmail("nouvelle-secretaire");

        // The admin adds her and gives her the rights of the first agenda only.
        PageChecks.signInStaff(browser, base, practice.adminEmail(), clock);
        browser.findElement(By.id("nav-team")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("add-member-form")));
        PageChecks.checkStaffPage(browser, "practice-team");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("phone")).sendKeys("+33 1 23 45 67 89");
        browser.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.id("add-member")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));

        WebElement row = memberRow(email);
        String accountId = row.getAttribute("id").substring("member-".length());
        String cell = "right-" + accountId + "-" + practice.practitionerId() + "-";
        browser.findElement(By.id(cell + "VIEW_APPOINTMENTS")).click();
        browser.findElement(By.id(cell + "MANAGE_APPOINTMENTS")).click();
        row.findElement(By.cssSelector("button.save-rights")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        assertThat(browser.findElement(By.id(cell + "MANAGE_APPOINTMENTS")).isSelected())
                .isTrue();
        assertThat(browser.findElement(
                                By.id("right-" + accountId + "-" + other.practitionerId() + "-VIEW_APPOINTMENTS"))
                        .isSelected())
                .isFalse();
        browser.findElement(By.cssSelector(".practice-nav form button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-out")));

        // Her first sign-in: the password, then an authenticator enrolled from the secret typed by hand.
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        String secret = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("secret")))
                .getText()
                .replace(" ", "");
        assertThat(browser.getCurrentUrl()).endsWith("/connexion/enrolement");
        assertThat(qrLoaded()).as("the QR code image loads under the CSP").isTrue();
        PageChecks.checkStaffPage(browser, "staff-enrolment");
        browser.findElement(By.id("code")).sendKeys(ApiClient.totp(secret, clock.instant()));
        browser.findElement(By.id("confirm-second-factor")).click();

        List<String> codes = wait
                .until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-codes")))
                .findElements(By.tagName("li"))
                .stream()
                .map(WebElement::getText)
                .toList();
        assertThat(codes).hasSize(10);
        PageChecks.check(browser, "staff-recovery-codes", false, List.of(768, 1280));
        browser.findElement(By.id("continue")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/cabinet"));
        assertThat(browser.findElements(By.cssSelector(".agenda-entry")))
                .extracting(e -> e.getAttribute("id"))
                .containsExactly("agenda-" + practice.practitionerId());
        browser.findElement(By.id("nav-security")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out-everywhere")));
        PageChecks.checkStaffPage(browser, "practice-security");

        // Her phone lost: a recovery code signs her in, once.
        browser.manage().deleteAllCookies();
        clock.advance(Duration.ofSeconds(30));
        signInWithRecoveryCode(base, email, codes.get(0), true);
        wait.until(ExpectedConditions.urlToBe(base + "/cabinet"));

        browser.manage().deleteAllCookies();
        signInWithRecoveryCode(base, email, codes.get(0), false);
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-error")))
                        .isDisplayed())
                .isTrue();
        assertThat(browser.getCurrentUrl()).endsWith("/connexion/secours");
        assertThat(browser.findElement(By.id("recoveryCode")).getAttribute("aria-describedby"))
                .contains("recovery-error");
    }

    /** Password, then "lost phone", then the recovery code; {@code checkPages}: axe and screenshots on the way. */
    private void signInWithRecoveryCode(String base, String email, String code, boolean checkPages) {
        browser.get(base + "/connexion");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("use-recovery-code")));
        if (checkPages) {
            PageChecks.checkStaffPage(browser, "staff-sign-in-code");
        }
        browser.findElement(By.id("use-recovery-code")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recoveryCode")));
        if (checkPages) {
            PageChecks.checkStaffPage(browser, "staff-recovery");
        }
        browser.findElement(By.id("recoveryCode")).sendKeys(code);
        browser.findElement(By.cssSelector("#recovery-form button[type=submit]"))
                .click();
    }

    private WebElement memberRow(String email) {
        return browser.findElement(
                By.xpath("//tr[contains(@class,'member')][.//span[@class='member-email' and text()='" + email + "']]"));
    }

    private boolean qrLoaded() {
        Object width = browser.executeScript(
                "const i = document.getElementById('qr'); return i.complete ? i.naturalWidth : 0;");
        return width instanceof Number n && n.intValue() > 0;
    }
}
