package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creneau.notifications.Mails;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The mailed-link pages in a real browser: a patient who forgot the password asks for a link from
 * the sign-in page, follows the mailed link, is refused a common password, sets a new one (another
 * open session ends), signs in with it, and finds the link refused the second time; an admin invites
 * from the team page and the invitation's page opens. Each page checked by axe-core and photographed.
 */
@IntegrationTest
class AccountMailBrowserTests {

    static final String NEW_PASSWORD = "Un-nouveau-mot-de-passe-2027";

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    GreenMail smtp;

    @Autowired
    Fixtures fixtures;

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
    void aPatientResetsAForgottenPasswordFromTheSignInPage() throws Exception {
        String email = PageChecks.newEmail("oubli");
        ApiClient elsewhere = new ApiClient(port);
        elsewhere.registerAndLogin(email);

        browser.get(url("/se-connecter"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("forgot-password")))
                .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("forgotten-form")));
        PageChecks.check(browser, "password-forgotten");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("forgotten-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reset-sent")));
        PageChecks.check(browser, "password-forgotten-sent", false);

        String link = link(Mails.awaitMailTo(smtp, email, "Créneau : choisir un nouveau mot de passe"));
        browser.get(link);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reset-form")));
        PageChecks.check(browser, "password-reset");

        browser.findElement(By.id("password")).sendKeys("motdepasse2024");
        browser.findElement(By.id("reset-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reset-error")));
        PageChecks.check(browser, "password-reset-refused", false);

        browser.findElement(By.id("password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.id("reset-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reset-done")));
        PageChecks.check(browser, "password-reset-done", false);
        assertThat(elsewhere.get("/api/v1/me/profile").status()).isEqualTo(401);

        browser.findElement(By.id("sign-in-patient")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-form")));
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-account")));
        // The mailed link proved the address: "My account" asks nothing more.
        browser.get(url("/mon-compte"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("security-title")));
        assertThat(browser.findElements(By.id("unverified"))).isEmpty();

        browser.get(link);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-invalid")));
        PageChecks.check(browser, "link-invalid");

        // Another patient who never opened the verification link: "My account" says so and sends it again.
        String unverified = PageChecks.newEmail("non-verifie");
        new ApiClient(port).registerAndLogin(unverified);
        PageChecks.signIn(browser, url(""), unverified);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("link-account")));
        browser.get(url("/mon-compte"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("unverified")));
        PageChecks.check(browser, "account-unverified");
        browser.findElement(By.id("send-verification")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));

        // The verification link's page: a button confirms (opening it uses nothing).
        browser.get(link(Mails.awaitMailTo(smtp, unverified, "Créneau : confirmez votre adresse e-mail")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("verify-form")));
        PageChecks.check(browser, "email-verification");
        browser.findElement(By.id("verify-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("verified")));
        PageChecks.check(browser, "email-verified", false);
        browser.get(url("/mon-compte"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("security-title")));
        assertThat(browser.findElements(By.id("unverified"))).isEmpty();
    }

    @Test
    void anAdminInvitesFromTheTeamPageAndTheInvitationOpens() throws Exception {
        Practice practice = fixtures.practice("dermatologue");
        String email = PageChecks.newEmail("invitee");
        PageChecks.signInStaff(browser, url(""), practice.adminEmail(), clock);
        browser.get(url("/cabinet/equipe"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("invite-form")))
                .findElement(By.id("invite-email"))
                .sendKeys(email);
        browser.findElement(By.cssSelector("#invite-form input[type=checkbox][value=VIEW_APPOINTMENTS]"))
                .click();
        browser.findElement(By.id("invite")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("invitations")));
        assertThat(browser.findElement(By.cssSelector("#invitations .invitation-email"))
                        .getText())
                .isEqualTo(email);
        browser.get(url("/cabinet/equipe"));
        PageChecks.checkStaffPage(browser, "team-invitations");

        String link = link(Mails.awaitMailTo(smtp, email, 1));
        browser.get(link);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("invitation-what")));
        PageChecks.checkStaffPage(browser, "invitation");
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** The link the mail's plain text carries, on this test's server (the public address names no test port). */
    private String link(MimeMessage mail) throws Exception {
        Matcher link =
                Pattern.compile("https?://[^/\\s]+(/\\S*/[A-Za-z0-9_-]{43})").matcher(Mails.part(mail, "text/plain"));
        assertThat(link.find()).isTrue();
        return url(link.group(1));
    }
}
