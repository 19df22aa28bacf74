package org.creneau.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.Browser;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.PageChecks;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin pages in a real browser: sign in with password and authenticator code, grant and
 * suspend an app, register one, and see the guard's alert for a contained app.
 */
@IntegrationTest
class AdminPagesBrowserTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    static ChromeDriver browser;
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
        // A form's answer replaces the page: an element found just before it may go stale mid-check.
        wait.ignoring(StaleElementReferenceException.class);
    }

    @Test
    void anOrgAdminSignsInGrantsAnAppAndSuspendsIt() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        String clientId = platform.post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Agenda Plus",
                                "contact",
                                "securite@agenda-plus.example",
                                "jwks",
                                new SmartBackendClient(port).publicJwks(),
                                "scopes",
                                List.of("system/Slot.rs", "system/Appointment.rs")))
                .text("clientId");

        // Not signed in: the grants page sends to the sign-in page.
        browser.get(url("/admin/grants"));
        assertThat(browser.getCurrentUrl()).endsWith("/connexion");
        PageChecks.checkStaffPage(browser, "staff-sign-in");
        signIn(practice.adminEmail());
        assertThat(browser.getCurrentUrl()).endsWith("/cabinet");
        browser.findElement(By.id("nav-grants")).click();

        browser.findElement(By.id("clientId")).sendKeys(clientId);
        checkScope("system/Slot.rs");
        checkScope("system/Appointment.rs");
        browser.findElement(By.cssSelector("#grant-form button[type=submit]")).click();

        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.grant")));
        assertThat(row.findElement(By.className("app-name")).getText()).isEqualTo("Agenda Plus");
        assertThat(row.findElement(By.className("status")).getText()).isEqualTo("Actif");
        String grantId = row.getAttribute("id").substring("grant-".length());
        PageChecks.checkStaffPage(browser, "admin-grants");

        browser.findElement(By.cssSelector("tr.grant button.suspend")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("tr.grant .status"), "data-status", "SUSPENDED"));

        // The JSON API agrees (a new 30-second step: each code is accepted once per account).
        clock.advance(Duration.ofSeconds(30));
        var grants = SignIn.staff(port, practice.adminEmail())
                .get("/api/v1/staff/connected-app-grants")
                .body()
                .get("items");
        assertThat(grants).hasSize(1);
        assertThat(grants.get(0).get("id").asString()).isEqualTo(grantId);
        assertThat(grants.get(0).get("status").asString()).isEqualTo("SUSPENDED");
        assertThat(grants.get(0).get("clientId").asString()).isEqualTo(clientId);
    }

    @Test
    void aPlatformAdminRegistersAnAppAndAnInvalidKeySetIsShownWithTheFormKept() {
        signIn(fixtures.platformAdmin());
        assertThat(browser.getCurrentUrl()).endsWith("/admin");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Administration");
        PageChecks.checkStaffPage(browser, "admin-home");
        browser.findElement(By.id("link-apps")).click();

        browser.findElement(By.id("name")).sendKeys("Hôpital Connect");
        browser.findElement(By.id("contact")).sendKeys("rssi@hopital.example");
        browser.findElement(By.id("jwks")).sendKeys("{\"keys\": \"pas une clé\"}");
        checkScope("#register-form", "system/Slot.rs");
        browser.findElement(By.cssSelector("#register-form button[type=submit]"))
                .click();

        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("jwks-error")))
                        .getText())
                .isEqualTo("Indiquez un jeu de clés JWKS (JSON) de 1 à 20 clés publiques.");
        assertThat(browser.findElement(By.id("jwks")).getAttribute("aria-describedby"))
                .isEqualTo("jwks-error");
        assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo("Hôpital Connect");
        assertThat(browser.findElement(By.id("contact")).getAttribute("value")).isEqualTo("rssi@hopital.example");
        assertThat(browser.findElement(By.cssSelector("#register-form input[value='system/Slot.rs']"))
                        .isSelected())
                .isTrue();

        WebElement keys = browser.findElement(By.id("jwks"));
        keys.clear();
        keys.sendKeys(JSON.writeValueAsString(new SmartBackendClient(port).publicJwks()));
        browser.findElement(By.cssSelector("#register-form button[type=submit]"))
                .click();

        String clientId = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("registered-client-id")))
                .getText();
        assertThat(clientId).matches("[0-9a-f-]{36}");
        assertThat(browser.findElements(By.cssSelector("tr.app .client-id")))
                .extracting(WebElement::getText)
                .contains(clientId);
        browser.get(url("/admin/apps"));
        PageChecks.checkStaffPage(browser, "admin-apps");

        // The undelivered messages and the SMS outbox, linked from the navigation; one SMS at least, so
        // the outbox's table is on the page that is checked.
        UUID sms = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO sms_outbox (id, recipient, sender, body, created_at)
                        VALUES (:id, '+33612345678', 'Creneau', :body, now() + interval '100 years')
                        """)
                .param("id", sms)
                .param(
                        "body",
                        "Créneau : rappel, rendez-vous le mardi 5 janvier 2027 à 09:00. Détails : https://creneau.example")
                .update();
        browser.findElement(By.id("nav-messages")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/admin/messages");
        assertThat(browser.findElement(By.id("sms-" + sms)).getText()).contains("+33612345678", "rappel");
        PageChecks.checkStaffPage(browser, "admin-messages");
    }

    @Test
    void theAlertsPageShowsAnAppContainedForEnumerationAndLeadsToItsGrant() {
        Practice practice = fixtures.practice("dermatologue");
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
        IGenericClient fhir = app.fhir();
        for (int i = 0; i < 20; i++) {
            String random = UUID.randomUUID().toString();
            assertThatThrownBy(() -> fhir.read()
                            .resource(Appointment.class)
                            .withId(random)
                            .execute())
                    .isInstanceOf(BaseServerResponseException.class);
        }
        assertThat(app.status()).isEqualTo("SUSPENDED");

        clock.advance(Duration.ofSeconds(30)); // the admin signed in through the API in this step
        signIn(practice.adminEmail());
        browser.findElement(By.id("nav-alerts")).click();
        WebElement alert = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.alert")));
        assertThat(alert.findElement(By.className("signal")).getText()).isEqualTo("ENUMERATION");
        PageChecks.checkStaffPage(browser, "admin-alerts");
        alert = browser.findElement(By.cssSelector("tr.alert"));

        alert.findElement(By.className("resume-link")).click();
        WebElement grant = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("grant-" + app.grantId)));
        assertThat(grant.findElement(By.className("status")).getAttribute("data-status"))
                .isEqualTo("SUSPENDED");
        grant.findElement(By.cssSelector("button.resume")).click();
        wait.until(ExpectedConditions.attributeToBe(
                By.cssSelector("#grant-" + app.grantId + " .status"), "data-status", "ACTIVE"));
        assertThat(app.status()).isEqualTo("ACTIVE");
    }

    private void signIn(String email) {
        PageChecks.signInStaff(browser, url(""), email, clock);
    }

    private void checkScope(String scope) {
        checkScope("#grant-form", scope);
    }

    private void checkScope(String form, String scope) {
        browser.findElement(By.cssSelector(form + " input[type=checkbox][value='" + scope + "']"))
                .click();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
