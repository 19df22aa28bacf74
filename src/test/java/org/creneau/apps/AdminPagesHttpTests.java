package org.creneau.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The admin pages over plain HTTP, as a forged request would reach them: no session means the
 * sign-in page, the wrong role means the JSON API's answer, and a form without its CSRF token
 * changes nothing.
 */
@IntegrationTest
class AdminPagesHttpTests {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void withoutASessionAnAdminPageSendsToTheSignInPageWhileTheApiStillAnswers401() {
        ApiClient anonymous = new ApiClient(port);
        for (String page : List.of("/admin", "/admin/grants", "/admin/apps", "/admin/alerts")) {
            ApiClient.Response response = anonymous.get(page);
            assertThat(response.status()).as(page).isEqualTo(302);
            assertThat(response.raw().headers().firstValue("Location").orElseThrow())
                    .endsWith("/connexion");
        }
        assertThat(anonymous.get("/api/v1/staff/connected-app-grants").status()).isEqualTo(401);
        assertThat(anonymous.get("/connexion").status()).isEqualTo(200);
    }

    @Test
    void staffWhoAreNotAdminsGet404OnTheGrantsPageAndPlatformAdminsGet403AsOnTheApi() {
        Practice practice = fixtures.practice("dermatologue");
        ApiClient secretary = SignIn.staff(port, practice.staffEmail());
        assertThat(secretary.get("/admin/grants").status()).isEqualTo(404);
        assertThat(secretary.get("/api/v1/staff/connected-app-grants").status()).isEqualTo(404);
        assertThat(secretary.get("/admin/alerts").status()).isEqualTo(404);
        assertThat(secretary.get("/admin/apps").status()).isEqualTo(403);

        ApiClient platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        assertThat(platform.get("/admin/grants").status()).isEqualTo(403);
        assertThat(platform.get("/api/v1/staff/connected-app-grants").status()).isEqualTo(403);
        assertThat(platform.get("/admin/apps").status()).isEqualTo(200);
        assertThat(platform.get("/admin/alerts").status()).isEqualTo(200);
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefusedAndOneWithThePageTokenIsServed() {
        Practice practice = fixtures.practice("dermatologue");
        GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Slot.rs"));
        ApiClient admin = app.orgAdmin().withoutCsrf();

        ApiClient.Response forged = admin.postForm("/admin/grants/" + app.grantId + "/suspend", Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(app.status()).isEqualTo("ACTIVE");

        // The page's own form carries the token, as a browser would send it.
        String page = admin.get("/admin/grants").raw().body();
        Matcher token = CSRF_FIELD.matcher(page);
        assertThat(token.find()).as("the page's forms carry a CSRF field").isTrue();
        ApiClient.Response served =
                admin.postForm("/admin/grants/" + app.grantId + "/suspend", Map.of("_csrf", token.group(1)));
        assertThat(served.status()).isEqualTo(302);
        assertThat(app.status()).isEqualTo("SUSPENDED");
    }
}
