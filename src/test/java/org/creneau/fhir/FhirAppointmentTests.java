package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.DateClientParam;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.booking.ConnectedAppBookings;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real HAPI FHIR client, with a token from the real token endpoint, reads appointments within
 * its grant only; every resource returned passes HAPI's validator against base R4.
 */
@IntegrationTest
class FhirAppointmentTests {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    ConnectedAppBookings bookings;

    Practice practice;
    ApiClient orgAdmin;
    String grantId;
    String clientId;
    SmartBackendClient app;
    String appointmentId;
    IGenericClient fhir;
    ApiClient patient;
    ApiClient platform;
    String appId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("pediatre");
        platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        orgAdmin = SignIn.staff(port, practice.adminEmail());
        app = new SmartBackendClient(port);
        Response registered = platform.post(
                "/api/v1/admin/connected-apps",
                Map.of(
                        "name",
                        "Logiciel de cabinet",
                        "contact",
                        "securite@editeur.example",
                        "jwks",
                        app.publicJwks(),
                        "scopes",
                        List.of("system/Appointment.rs", "system/Patient.r")));
        clientId = registered.text("clientId");
        appId = registered.text("id");
        grantId = orgAdmin.post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId",
                                clientId,
                                "scopes",
                                List.of("system/Appointment.rs"),
                                "contactDetails",
                                false))
                .text("id");
        patient = new ApiClient(port);
        patient.registerAndLogin("fhir-" + UUID.randomUUID() + "@test.creneau.fr");
        appointmentId = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        String token = app.accessToken(clientId, clock.instant(), "system/Appointment.rs");
        assertThat(token).isNotNull();
        fhir = FhirTestClient.withToken(port, token);
    }

    @Test
    void anAppSearchesItsGrantedAgendaByDateAndEveryResourceIsValidR4() {
        Bundle found = fhir.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .returnBundle(Bundle.class)
                .execute();
        List<Appointment> appointments = found.getEntry().stream()
                .map(e -> (Appointment) e.getResource())
                .toList();
        assertThat(appointments).extracting(a -> a.getIdElement().getIdPart()).containsExactly(appointmentId);
        Appointment a = appointments.get(0);
        assertThat(a.getStatus()).isEqualTo(Appointment.AppointmentStatus.PENDING);
        assertThat(a.getParticipant())
                .extracting(p -> p.getActor().getReference())
                .anySatisfy(ref -> assertThat(ref).startsWith("Patient/"));
        assertThat(FHIR.newJsonParser().encodeResourceToString(a))
                .doesNotContain("Testeuse")
                .doesNotContain("Jeanne");

        Appointment read =
                fhir.read().resource(Appointment.class).withId(appointmentId).execute();
        assertThat(read.getStart()).isEqualTo(a.getStart());
        for (var resource : List.of(read, found)) {
            assertThat(FhirTestClient.errorsOf(resource)).isEmpty();
        }
        // The patient sees the app, by name, among those who accessed the appointment.
        assertThat(patient.get("/api/v1/me/access-log")
                        .body()
                        .get("items")
                        .valueStream()
                        .filter(e -> "CONNECTED_APP".equals(e.get("who").asString()))
                        .map(e -> e.get("app").asString()))
                .isNotEmpty()
                .containsOnly("Logiciel de cabinet");
        CapabilityStatement capabilities =
                fhir.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capabilities.getRestFirstRep().getResource())
                .extracting(r -> r.getType())
                .contains("Appointment");
    }

    @Test
    void anotherOrganizationsAppointmentIsNotFoundAndASearchWithoutAWindowIsRefused() {
        Practice other = fixtures.practice("pediatre");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-other-" + UUID.randomUUID() + "@test.creneau.fr");
        String foreign = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", other.practitionerId(),
                                "siteId", other.siteId(),
                                "motiveId", other.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        assertThatThrownBy(() ->
                        fhir.read().resource(Appointment.class).withId(foreign).execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(UUID.randomUUID().toString())
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE.afterOrEquals().second("2027-01-01T00:00:00Z"))
                        .and(Appointment.DATE.before().second("2027-03-01T00:00:00Z"))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aWindowOfThirtyOneDaysIsServedAndOneHourMoreIsRefused() {
        assertThat(between("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z").getEntry())
                .hasSize(1);
        assertThatThrownBy(() -> between("2027-01-01T00:00:00Z", "2027-02-01T01:00:00Z"))
                .isInstanceOf(InvalidRequestException.class);
    }

    private Bundle between(String from, String to) {
        return fhir.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second(from))
                .and(Appointment.DATE.before().second(to))
                .returnBundle(Bundle.class)
                .execute();
    }

    @Test
    void aSuspendedGrantStopsATokenIssuedBefore() {
        assertThat(orgAdmin.post("/api/v1/staff/connected-app-grants/" + grantId + "/suspend", null)
                        .status())
                .isEqualTo(200);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(appointmentId)
                        .execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void anAppSuspendedByThePlatformStopsATokenIssuedBefore() {
        assertThat(platform.post("/api/v1/admin/connected-apps/" + appId + "/suspend", null)
                        .status())
                .isEqualTo(200);
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(appointmentId)
                        .execute())
                .isInstanceOf(AuthenticationException.class);
    }

    /** Books {@code n} appointments through the booking API, from Wednesday on, six a morning, Sundays off. */
    List<UUID> booked(Practice at, int n) {
        UUID orgPatient = UUID.fromString(SignIn.staff(port, at.staffEmail())
                .post(
                        "/api/v1/staff/patients",
                        Map.of(
                                "firstName", "Hugo",
                                "lastName", "Parlefil",
                                "birthDate", "1979-03-03",
                                "phone", "+33 6 22 33 44 55"))
                .text("id"));
        List<UUID> ids = new ArrayList<>();
        Instant day = BookingApiTests.TUESDAY_9.plus(Duration.ofDays(1));
        while (ids.size() < n) {
            if (day.atZone(Fixtures.PARIS).getDayOfWeek() != DayOfWeek.SUNDAY) {
                for (int i = 0; i < 6 && ids.size() < n; i++) {
                    ids.add(bookings.book(
                                    at.organizationId(),
                                    at.practitionerId(),
                                    at.motiveId(),
                                    at.siteId(),
                                    day.plus(Duration.ofMinutes(30L * i)),
                                    orgPatient,
                                    null,
                                    null)
                            .id());
                }
            }
            day = day.plus(Duration.ofDays(1));
        }
        return ids;
    }

    Bundle januaryUpTo20(IGenericClient client, int count) {
        return client.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-20T00:00:00Z"))
                .count(count)
                .returnBundle(Bundle.class)
                .execute();
    }

    /** Follows next links to the end; every page is valid R4. */
    List<Appointment> allPages(IGenericClient client, Bundle first, int pageSizeAtMost) {
        List<Appointment> all = new ArrayList<>();
        Bundle page = first;
        while (true) {
            assertThat(FhirTestClient.errorsOf(page)).isEmpty();
            assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(pageSizeAtMost);
            page.getEntry().forEach(e -> all.add((Appointment) e.getResource()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return all;
            }
            page = client.loadPage().next(page).execute();
        }
    }

    static List<String> ids(List<Appointment> appointments) {
        return appointments.stream().map(a -> a.getIdElement().getIdPart()).toList();
    }

    /** The order pages follow: start, then id as PostgreSQL orders uuids (their text). */
    static List<String> inPageOrder(List<Appointment> appointments) {
        return appointments.stream()
                .sorted(Comparator.comparing(Appointment::getStart)
                        .thenComparing(a -> a.getIdElement().getIdPart()))
                .map(a -> a.getIdElement().getIdPart())
                .toList();
    }

    @Test
    void aCountOfAThousandGetsFiftyAndANextLinkThatTheClientFollowsToTheEnd() {
        List<UUID> more = booked(practice, 54);
        Bundle first = januaryUpTo20(fhir, 1000);
        assertThat(first.getEntry()).hasSize(50);
        assertThat(first.getLink(Bundle.LINK_NEXT)).isNotNull();
        assertThat(first.getLink(Bundle.LINK_NEXT).getUrl()).contains("_count=50");

        List<Appointment> all = allPages(fhir, first, 50);
        assertThat(ids(all)).doesNotHaveDuplicates().hasSize(55).contains(appointmentId);
        assertThat(ids(all)).containsAll(more.stream().map(UUID::toString).toList());
        assertThat(ids(all)).isEqualTo(inPageOrder(all));
    }

    @Test
    void pagesMergeTheGrantsOfSeveralOrganizationsInStartOrder() {
        Practice second = fixtures.practice("pediatre");
        SignIn.staff(port, second.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId",
                                clientId,
                                "scopes",
                                List.of("system/Appointment.rs"),
                                "contactDetails",
                                false));
        List<UUID> here = booked(practice, 4);
        List<UUID> there = booked(second, 5);
        IGenericClient both =
                FhirTestClient.withToken(port, app.accessToken(clientId, clock.instant(), "system/Appointment.rs"));

        List<Appointment> all = allPages(both, januaryUpTo20(both, 2), 2);

        assertThat(ids(all)).doesNotHaveDuplicates().hasSize(10).contains(appointmentId);
        assertThat(ids(all))
                .containsAll(here.stream().map(UUID::toString).toList())
                .containsAll(there.stream().map(UUID::toString).toList());
        assertThat(ids(all)).isEqualTo(inPageOrder(all));
        // The first grant's token still sees only its own organization.
        assertThat(ids(allPages(fhir, januaryUpTo20(fhir, 50), 50))).hasSize(5);
    }

    @Test
    void actorAndStatusNarrowTheSearchAndUnknownValuesAreRefused() {
        Bundle byPractitioner = fhir.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .and(Appointment.ACTOR.hasId("Practitioner/" + practice.practitionerId()))
                .and(Appointment.STATUS.exactly().codes("pending", "booked"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(byPractitioner.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(appointmentId);
        assertThat(FhirTestClient.errorsOf(byPractitioner)).isEmpty();
        Bundle bySite = fhir.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .and(Appointment.ACTOR.hasId("Location/" + practice.siteId()))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(bySite.getEntry()).hasSize(1);

        for (ICriterion<?> narrowing : List.<ICriterion<?>>of(
                Appointment.ACTOR.hasId("Practitioner/" + UUID.randomUUID()),
                Appointment.ACTOR.hasId("Patient/" + UUID.randomUUID()),
                Appointment.STATUS.exactly().code("booked"),
                Appointment.STATUS.exactly().code("cancelled"))) {
            Bundle none = fhir.search()
                    .forResource(Appointment.class)
                    .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                    .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                    .and(narrowing)
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(none.getEntry()).isEmpty();
        }
        for (ICriterion<?> refused : List.<ICriterion<?>>of(
                Appointment.ACTOR.hasId("Organization/" + practice.organizationId()),
                Appointment.ACTOR.hasId("Practitioner/not-a-uuid"),
                Appointment.STATUS.exactly().code("half-booked"))) {
            assertThatThrownBy(() -> fhir.search()
                            .forResource(Appointment.class)
                            .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                            .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                            .and(refused)
                            .returnBundle(Bundle.class)
                            .execute())
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void lastUpdatedAloneIsRefusedBecauseEverySearchNeedsADateWindow() {
        assertThatThrownBy(() -> fhir.search()
                        .forResource(Appointment.class)
                        .where(new DateClientParam("_lastUpdated").after().second("2027-01-04T05:00:00Z"))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("date is required");
        assertThatThrownBy(() -> fhir.search()
                        .byUrl("Appointment?date=ge2027-01-05T00:00:00Z&date=lt2027-01-06T00:00:00Z&_cursor=bm9wZQ")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("_cursor");
    }

    @Test
    void aMissingExpiredOrGarbageTokenGets401WithWwwAuthenticateAndAnOperationOutcome() throws Exception {
        String expired = app.accessToken(clientId, clock.instant(), "system/Appointment.rs");
        clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofMinutes(10)));
        HttpClient http = HttpClient.newHttpClient();
        URI search = URI.create("http://localhost:" + port
                + "/fhir/Appointment?date=ge2027-01-05T00:00:00Z&date=lt2027-01-06T00:00:00Z");
        for (String authorization : new String[] {null, "Bearer " + expired, "Bearer not.a.token"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(search).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/fhir+json"));
            OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
            assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
            assertThat(FhirTestClient.errorsOf(outcome)).isEmpty();
        }
    }
}
