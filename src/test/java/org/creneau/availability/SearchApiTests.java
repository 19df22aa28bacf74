package org.creneau.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.TenantScope;
import org.creneau.directory.Directory;
import org.creneau.platform.TimeWindow;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.StatementCounter;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class SearchApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    Directory directory;

    @Autowired
    SlotFinder slots;

    @Autowired
    TenantScope scope;

    ApiClient anonymous;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        anonymous = new ApiClient(port);
    }

    @Test
    void specialtiesAreListedWithCodeAndLabel() {
        Response r = anonymous.get("/api/v1/specialties");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().valueStream().map(s -> s.path("code").asString()))
                .contains("medecin-generaliste", "pediatre", "chirurgien-dentiste", "psychiatre");
        assertThat(r.body().get(0).path("label").asString()).isNotBlank();
    }

    @Test
    void searchByCityOrdersBySoonestFreeSlotThenDistance() {
        String city = "Villetest-" + UUID.randomUUID().toString().substring(0, 8);
        Practice near = fixtures.practice("pediatre", city, 45.000, 3.000);
        Practice far = fixtures.practice("pediatre", city, 45.050, 3.000);
        Practice busy = fixtures.practice("pediatre", city, 45.001, 3.000);
        // The nearest practitioner is fully booked on Tuesday morning: their next slot comes later.
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("search-" + UUID.randomUUID() + "@test.creneau.fr");
        Instant tuesday9 = Instant.parse("2027-01-04T08:00:00Z");
        Response held = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", busy.practitionerId(),
                        "siteId", busy.siteId(),
                        "motiveId", busy.motiveId(),
                        "start", tuesday9.toString()));
        assertThat(held.status()).isEqualTo(201);

        Response r = anonymous.get("/api/v1/search?specialty=pediatre&city=" + city.toLowerCase());
        assertThat(r.status()).isEqualTo(200);
        List<String> order = r.body()
                .path("items")
                .valueStream()
                .map(i -> i.path("practitionerId").asString())
                .toList();
        assertThat(order)
                .containsExactly(
                        near.practitionerId().toString(),
                        far.practitionerId().toString(),
                        busy.practitionerId().toString());
        JsonNode first = r.body().path("items").get(0);
        assertThat(first.path("nextSlot").path("start").asString()).isEqualTo("2027-01-04T08:00:00Z");
        assertThat(first.path("site").path("city").asString()).isEqualTo(city);
        assertThat(r.body().path("items").get(2).path("nextSlot").path("start").asString())
                .isEqualTo("2027-01-04T08:30:00Z");
        // The next slots, soonest first, one per start time (two motives start together: the first's).
        assertThat(r.body()
                        .path("items")
                        .get(2)
                        .path("nextSlots")
                        .valueStream()
                        .map(s -> s.path("start").asString() + " "
                                + s.path("motiveId").asString()))
                .containsExactly(
                        "2027-01-04T08:30:00Z " + busy.motiveId(),
                        "2027-01-04T09:00:00Z " + busy.motiveId(),
                        "2027-01-04T09:30:00Z " + busy.motiveId());
        assertThat(r.body().path("page").path("totalItems").asLong()).isEqualTo(3);
    }

    @Test
    void aResultsNextSlotsGoOnToTheFollowingDayWhenTodayHasTooFew() {
        // 10:00 in Paris with an hour's notice: 11:00 and 11:30 are left today, then Tuesday 9:00.
        clock.set(Instant.parse("2027-01-04T09:00:00Z"));
        String city = "Suiteville-" + UUID.randomUUID().toString().substring(0, 8);
        Practice practice = fixtures.practice("osteopathe", city, 46.000, 2.000);

        Response r = anonymous.get("/api/v1/search?specialty=osteopathe&city=" + city);
        assertThat(r.status()).isEqualTo(200);
        JsonNode item = r.body().path("items").get(0);
        assertThat(item.path("practitionerId").asString())
                .isEqualTo(practice.practitionerId().toString());
        assertThat(item.path("nextSlots").valueStream().map(s -> s.path("start").asString()))
                .containsExactly("2027-01-04T10:00:00Z", "2027-01-04T10:30:00Z", "2027-01-05T08:00:00Z");
        assertThat(item.path("nextSlot").path("start").asString()).isEqualTo("2027-01-04T10:00:00Z");
    }

    @Test
    void threeSlotsPerResultCostTheSameStatementsAsOne() {
        // Two identical cities of five practices each, searched cold: one asking one slot per
        // result, the other three. The slots come from the same pass, not from a query per result.
        TimeWindow window = new TimeWindow(clock.instant(), clock.instant().plus(Duration.ofDays(14)));
        List<Integer> roundTrips = new ArrayList<>();
        for (int count : List.of(1, 3)) {
            String city =
                    "Comptes-" + count + "-" + UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 5; i++) {
                fixtures.practice("orl", city, 45.0 + i / 1000.0, 3.0);
            }
            PractitionerSearch search = new PractitionerSearch(directory, slots, scope, count);
            // The specialty is kept for a few seconds: both counted searches find it kept.
            search.ranked(new PractitionerSearch.Query("orl", "Nullepart", null, null, null, window));
            var counted = StatementCounter.count(
                    () -> search.ranked(new PractitionerSearch.Query("orl", city, null, null, null, window)));
            assertThat(counted.value())
                    .hasSize(5)
                    .allSatisfy(h -> assertThat(h.nextSlots()).hasSize(count));
            roundTrips.add(counted.counted().roundTrips());
        }
        assertThat(roundTrips.get(1)).isEqualTo(roundTrips.get(0));
    }

    @Test
    void theNextSlotIsFoundDaysAheadWhenTheWindowsFirstDaysHaveNone() {
        // On a Saturday afternoon the practices (closed on Sundays) next open on Monday, past the first
        // days search looks at; one of them has its first Monday slot taken.
        clock.set(Instant.parse("2027-01-09T12:00:00Z"));
        String city = "Lundiville-" + UUID.randomUUID().toString().substring(0, 8);
        Practice open = fixtures.practice("osteopathe", city, 46.000, 2.000);
        Practice taken = fixtures.practice("osteopathe", city, 46.001, 2.000);
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("lundi-" + UUID.randomUUID() + "@test.creneau.fr");
        assertThat(patient.post(
                                "/api/v1/appointments",
                                Map.of(
                                        "practitionerId", taken.practitionerId(),
                                        "siteId", taken.siteId(),
                                        "motiveId", taken.motiveId(),
                                        "start", "2027-01-11T08:00:00Z"))
                        .status())
                .isEqualTo(201);

        Response r = anonymous.get("/api/v1/search?specialty=osteopathe&city=" + city);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()
                        .path("items")
                        .valueStream()
                        .map(i -> i.path("practitionerId").asString() + " "
                                + i.path("nextSlot").path("start").asString()))
                .containsExactly(
                        open.practitionerId() + " 2027-01-11T08:00:00Z",
                        taken.practitionerId() + " 2027-01-11T08:30:00Z");
        // A window that ends before Monday has no slot for either, and still lists both.
        Response none =
                anonymous.get("/api/v1/search?specialty=osteopathe&city=" + city + "&from=2027-01-09&to=2027-01-11");
        assertThat(none.body()
                        .path("items")
                        .valueStream()
                        .map(i -> i.path("nextSlot").isNull()))
                .containsExactly(true, true);
    }

    @Test
    void searchAroundAPointKeepsOnlyThoseWithinTheRadius() {
        Practice inside = fixtures.practice("cardiologue", "Pointville", 10.000, 10.000);
        Practice outside = fixtures.practice("cardiologue", "Pointville", 10.300, 10.000);
        Response r = anonymous.get("/api/v1/search?specialty=cardiologue&lat=10.01&lon=10.0&radiusKm=5");
        assertThat(r.status()).isEqualTo(200);
        List<String> ids = r.body()
                .path("items")
                .valueStream()
                .map(i -> i.path("practitionerId").asString())
                .toList();
        assertThat(ids)
                .contains(inside.practitionerId().toString())
                .doesNotContain(outside.practitionerId().toString());
        assertThat(r.body().path("items").get(0).path("distanceKm").asDouble()).isBetween(1.0, 1.2);
    }

    @Test
    void searchIsPagedWithAHardMaximum() {
        String city = "Pageville-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            fixtures.practice("orl", city, 44.0, 1.0 + i * 0.001);
        }
        Response page = anonymous.get("/api/v1/search?specialty=orl&city=" + city + "&size=2&page=1");
        assertThat(page.body().path("items").size()).isEqualTo(1);
        assertThat(page.body().path("page").path("number").asInt()).isEqualTo(1);
        assertThat(page.body().path("page").path("totalItems").asLong()).isEqualTo(3);
        assertThat(anonymous
                        .get("/api/v1/search?specialty=orl&city=" + city + "&size=51")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void badSearchesAre400NamingTheField() {
        assertThat(field(anonymous.get("/api/v1/search?specialty=astrologue&city=Paris")))
                .isEqualTo("specialty");
        assertThat(field(anonymous.get("/api/v1/search?specialty=pediatre"))).isEqualTo("city");
        assertThat(field(anonymous.get("/api/v1/search?specialty=pediatre&lat=91&lon=2")))
                .isEqualTo("lat");
        assertThat(field(anonymous.get("/api/v1/search?specialty=pediatre&city=Paris&from=2027-01-01&to=2027-03-01")))
                .isEqualTo("to");
        assertThat(field(anonymous.get("/api/v1/search?specialty=pediatre&city=Paris&from=demain")))
                .isEqualTo("from");
        assertThat(field(anonymous.get("/api/v1/search?city=Paris"))).isEqualTo("specialty");
        assertThat(anonymous
                        .get("/api/v1/search?specialty=pediatre&city=Nowhere-at-all")
                        .body()
                        .path("items")
                        .size())
                .isZero();
    }

    @Test
    void slotsOfAPractitionerAreBoundedAndUnknownIdsAre404() {
        Practice p = fixtures.practice("psychiatre");
        String base = "/api/v1/practitioners/" + p.practitionerId();
        Response slots = anonymous.get(base + "/slots?motiveId=" + p.motiveId() + "&from=2027-01-04&to=2027-01-06");
        assertThat(slots.status()).isEqualTo(200);
        // Monday and Tuesday, 09:00-12:00 in Paris, 30 minutes each; Monday's first hour is within the notice.
        assertThat(slots.body().path("slots").size()).isEqualTo(6 + 6);
        assertThat(field(anonymous.get(base + "/slots?motiveId=" + p.motiveId() + "&from=2027-01-01&to=2027-02-05")))
                .isEqualTo("to");
        assertThat(anonymous.get(base + "/slots?motiveId=" + UUID.randomUUID()).status())
                .isEqualTo(404);
        assertThat(anonymous.get("/api/v1/practitioners/" + UUID.randomUUID()).status())
                .isEqualTo(404);
        assertThat(anonymous
                        .get(base + "/slots?motiveId=" + p.phoneOnlyMotiveId())
                        .body()
                        .path("slots")
                        .size())
                .isZero();
    }

    @Test
    void aPractitionerProfileShowsSitesAndMotivesWithInstructions() {
        Practice p = fixtures.practice("gynecologue");
        Response profile = anonymous.get("/api/v1/practitioners/" + p.practitionerId());
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.body().path("specialty").path("code").asString()).isEqualTo("gynecologue");
        assertThat(profile.body().path("sites").get(0).path("timeZone").asString())
                .isEqualTo("Europe/Paris");
        assertThat(profile.body().path("motives").size()).isEqualTo(3);
        assertThat(profile.body().path("rpps").asString()).hasSize(11);
    }

    private static String field(Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(400);
        return r.body().path("errors").get(0).path("field").asString();
    }

    static Duration days(int n) {
        return Duration.ofDays(n);
    }
}
