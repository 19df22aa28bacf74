package org.creneau.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A staff member of two organizations acts for the one the {@code X-Organization-Id} header
 * names, only for an organization they belong to, and for none without the header.
 */
@IntegrationTest
class OrganizationChoiceTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice a;
    Practice b;
    ApiClient desk;

    @BeforeEach
    void secretaryOfTwoPractices() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        a = fixtures.practice("orl");
        b = fixtures.practice("orl");
        fixtures.alsoSecretaryOf(a, b);
        desk = new ApiClient(port, clock);
        assertThat(desk.loginStaff(a.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET)
                        .status())
                .isEqualTo(200);
    }

    private int agenda(Practice practice) {
        return desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments")
                .status();
    }

    @Test
    void theHeaderPicksWhichOrganizationTheStaffMemberActsFor() {
        desk.actingFor(a.organizationId());
        assertThat(agenda(a)).isEqualTo(200);
        assertThat(agenda(b)).isEqualTo(404);

        desk.actingFor(b.organizationId());
        assertThat(agenda(b)).isEqualTo(200);
        assertThat(agenda(a)).isEqualTo(404);
    }

    @Test
    void withoutTheHeaderAMemberOfTwoOrganizationsActsForNone() {
        desk.actingFor(null);
        assertThat(agenda(a)).isEqualTo(403);
        assertThat(agenda(b)).isEqualTo(403);
    }

    @Test
    void anOrganizationTheAccountDoesNotBelongToIsRefused() {
        Practice stranger = fixtures.practice("orl");
        desk.actingFor(stranger.organizationId());
        assertThat(agenda(stranger)).isEqualTo(403);
        assertThat(agenda(a)).isEqualTo(403);

        desk.actingFor(UUID.randomUUID());
        assertThat(agenda(a)).isEqualTo(403);
        desk.actingFor("not-a-uuid");
        assertThat(agenda(a)).isEqualTo(403);
    }
}
