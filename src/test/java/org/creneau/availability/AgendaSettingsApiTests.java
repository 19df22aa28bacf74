package org.creneau.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.DirectoryAdministration.NewSite;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NotFoundException;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.RecordedEvents;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Staff with the settings right change motives, opening ranges and rules; patients see it at once. */
@IntegrationTest
class AgendaSettingsApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordedEvents events;

    @Autowired
    TenantScope scope;

    @Autowired
    DirectoryAdministration directory;

    @Autowired
    AgendaSettings settings;

    Practice practice;
    ApiClient staff;
    String base;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("sage-femme");
        staff = new ApiClient(port, clock);
        staff.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        base = "/api/v1/staff/agendas/" + practice.practitionerId();
    }

    int publicSlots(String motiveId, String from, String to) {
        return new ApiClient(port)
                .get("/api/v1/practitioners/" + practice.practitionerId() + "/slots?motiveId=" + motiveId + "&from="
                        + from + "&to=" + to)
                .body()
                .path("slots")
                .size();
    }

    @Test
    void aNewMotiveInANewEveningRangeIsBookableAtOnce() {
        Response motive = staff.post(
                base + "/motives",
                Map.of(
                        "label",
                        "Préparation à la naissance",
                        "durationMinutes",
                        60,
                        "onlineBookable",
                        true,
                        "newPatientsAllowed",
                        true,
                        "instructions",
                        "Venez avec votre dossier de grossesse."));
        assertThat(motive.status()).isEqualTo(201);
        String motiveId = motive.text("id");
        assertThat(publicSlots(motiveId, "2027-01-05", "2027-01-06")).isZero();

        Response range = staff.post(
                base + "/opening-ranges",
                Map.of(
                        "siteId", practice.siteId().toString(),
                        "weekday", "TUESDAY",
                        "start", "18:00",
                        "end", "20:00",
                        "validFrom", "2027-01-01",
                        "motiveIds", List.of(motiveId)));
        assertThat(range.status()).isEqualTo(201);
        assertThat(publicSlots(motiveId, "2027-01-05", "2027-01-06")).isEqualTo(2);

        assertThat(staff.delete(base + "/opening-ranges/" + range.text("id")).status())
                .isEqualTo(204);
        assertThat(publicSlots(motiveId, "2027-01-05", "2027-01-06")).isZero();
        assertThat(events.of(AgendaChanged.class))
                .extracting(AgendaChanged::kind)
                .contains(
                        AgendaChanged.Kind.MOTIVE_CREATED,
                        AgendaChanged.Kind.OPENING_RANGE_ADDED,
                        AgendaChanged.Kind.OPENING_RANGE_REMOVED);
    }

    @Test
    void badSettingsAre400NamingTheFieldAndChangeNothing() {
        int before = staff.get(base + "/opening-ranges").body().size();
        Response backwards = staff.post(
                base + "/opening-ranges",
                Map.of(
                        "siteId", practice.siteId().toString(),
                        "weekday", "MONDAY",
                        "start", "12:00",
                        "end", "09:00",
                        "validFrom", "2027-01-01",
                        "motiveIds", List.of(practice.motiveId().toString())));
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body().path("errors").get(0).path("field").asString())
                .isEqualTo("end");
        Response foreignMotive = staff.post(
                base + "/opening-ranges",
                Map.of(
                        "siteId", practice.siteId().toString(),
                        "weekday", "MONDAY",
                        "start", "13:00",
                        "end", "14:00",
                        "validFrom", "2027-01-01",
                        "motiveIds",
                                List.of(fixtures.practice("sage-femme")
                                        .motiveId()
                                        .toString())));
        assertThat(foreignMotive.status()).isEqualTo(400);
        assertThat(foreignMotive.body().path("errors").get(0).path("field").asString())
                .isEqualTo("motiveIds");
        assertThat(staff.get(base + "/opening-ranges").body().size()).isEqualTo(before);
        Response tooShort = staff.post(
                base + "/motives",
                Map.of("label", "Éclair", "durationMinutes", 2, "onlineBookable", true, "newPatientsAllowed", true));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body().path("errors").get(0).path("field").asString())
                .isEqualTo("durationMinutes");
    }

    @Test
    void rulesChangeWhatPatientsCanBook() {
        int before = publicSlots(practice.motiveId().toString(), "2027-01-04", "2027-01-05");
        Response rules = staff.put(
                base + "/rules", Map.of("minNoticeMinutes", 60 * 24, "horizonDays", 60, "cancellationCutoffHours", 48));
        assertThat(rules.status()).isEqualTo(200);
        assertThat(before).isPositive();
        assertThat(publicSlots(practice.motiveId().toString(), "2027-01-04", "2027-01-05"))
                .as("nothing today with a day's notice")
                .isZero();
        assertThat(staff.put(
                                base + "/rules",
                                Map.of("minNoticeMinutes", -1, "horizonDays", 60, "cancellationCutoffHours", 48))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aPractitionersSitesAreTheSitesOfTheirOpeningRanges() {
        UUID secondSite = scope.write(
                new Caller.System(practice.organizationId()),
                () -> directory.createSite(
                        practice.organizationId(),
                        new NewSite("Annexe", "2 rue de l'Annexe", "75012", "Paris", 48.84, 2.39, Fixtures.PARIS)));
        String profile = "/api/v1/practitioners/" + practice.practitionerId();
        assertThat(siteIds(profile)).containsExactly(practice.siteId().toString());

        Response range = staff.post(
                base + "/opening-ranges",
                Map.of(
                        "siteId", secondSite.toString(),
                        "weekday", "SUNDAY",
                        "start", "09:00",
                        "end", "11:00",
                        "validFrom", "2027-01-01",
                        "motiveIds", List.of(practice.motiveId().toString())));
        assertThat(range.status()).isEqualTo(201);
        assertThat(siteIds(profile)).containsExactlyInAnyOrder(practice.siteId().toString(), secondSite.toString());

        assertThat(staff.delete(base + "/opening-ranges/" + range.text("id")).status())
                .isEqualTo(204);
        assertThat(siteIds(profile))
                .as("no range left at the second site")
                .containsExactly(practice.siteId().toString());
    }

    @Test
    void theSettingsServiceItselfRefusesStaffWithoutTheRightAndChangesNothing() {
        Caller.Staff withoutRights =
                new Caller.Staff(UUID.randomUUID(), practice.organizationId(), StaffRole.SECRETARY, null);
        NewMotive motive = new NewMotive("Hors droits", 30, true, true, null, null);
        assertThatThrownBy(() -> settings.createMotive(withoutRights, practice.practitionerId(), motive))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(
                        () -> settings.removeOpeningRange(withoutRights, practice.practitionerId(), UUID.randomUUID()))
                .isInstanceOf(NotFoundException.class);

        Caller.Staff holder =
                new Caller.Staff(practice.staffAccountId(), practice.organizationId(), StaffRole.SECRETARY, null);
        assertThat(settings.motives(holder, practice.practitionerId()))
                .extracting(VisitMotive::label)
                .hasSize(3)
                .doesNotContain("Hors droits");
        assertThat(settings.createMotive(holder, practice.practitionerId(), motive)
                        .label())
                .isEqualTo("Hors droits");
        assertThat(events.of(AgendaChanged.class))
                .filteredOn(e -> e.practitionerId().equals(practice.practitionerId()))
                .extracting(AgendaChanged::kind, AgendaChanged::actorAccountId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        AgendaChanged.Kind.MOTIVE_CREATED, practice.staffAccountId()));
    }

    private List<String> siteIds(String profile) {
        List<String> ids = new java.util.ArrayList<>();
        new ApiClient(port)
                .get(profile)
                .body()
                .path("sites")
                .forEach(site -> ids.add(site.path("id").asString()));
        return ids;
    }
}
