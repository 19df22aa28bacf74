package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.DateClientParam;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
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
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Practice software books through FHIR: the constraint still refuses a double booking (409). */
@IntegrationTest
class FhirBookingTests {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("ownerDataSource")
    javax.sql.DataSource owner;

    Practice practice;
    String orgPatientId;
    SmartBackendClient app;
    String clientId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("chirurgien-dentiste");
        app = new SmartBackendClient(port);
        clientId = SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel de cabinet",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                app.publicJwks(),
                                "scopes",
                                List.of("system/Appointment.rs", "system/Appointment.cu")))
                .text("clientId");
        SignIn.staff(port, practice.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId",
                                clientId,
                                "scopes",
                                List.of("system/Appointment.rs", "system/Appointment.cu"),
                                "contactDetails",
                                false));
        ApiClient desk = SignIn.staff(port, practice.staffEmail());
        orgPatientId = desk.post(
                        "/api/v1/staff/patients",
                        Map.of(
                                "firstName", "Hugo",
                                "lastName", "Parlefil",
                                "birthDate", "1979-03-03",
                                "phone", "+33 6 22 33 44 55"))
                .text("id");
    }

    IGenericClient fhir(String scopes) {
        String token = app.accessToken(clientId, clock.instant(), scopes);
        return FhirTestClient.withToken(port, token);
    }

    Appointment booking(String motiveId) {
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.setStart(Date.from(BookingApiTests.TUESDAY_9));
        a.addParticipant()
                .setActor(new Reference("Practitioner/" + practice.practitionerId()))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant()
                .setActor(new Reference("Location/" + practice.siteId()))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant()
                .setActor(new Reference("Patient/" + orgPatientId))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant()
                .setActor(new Reference("HealthcareService/" + motiveId))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return a;
    }

    @Test
    void anAppBooksAFreeTimeAndTheSameTimeTwiceIsAConflict() {
        IGenericClient client = fhir("system/Appointment.rs system/Appointment.cu");
        MethodOutcome created = client.create()
                .resource(booking(practice.motiveId().toString()))
                .execute();
        assertThat(created.getCreated()).isTrue();
        Appointment read = client.read()
                .resource(Appointment.class)
                .withId(created.getId().getIdPart())
                .execute();
        assertThat(read.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(read.getEnd().toInstant()).isEqualTo(BookingApiTests.TUESDAY_9.plusSeconds(30 * 60));
        assertThat(FhirTestClient.errorsOf(read)).isEmpty();

        assertThatThrownBy(() -> client.create()
                        .resource(booking(practice.motiveId().toString()))
                        .execute())
                .isInstanceOf(ResourceVersionConflictException.class);
    }

    @Test
    void eachFhirWriteAndReadIsJournaledOnceWithItsOperationAndOutcome() {
        IGenericClient client = fhir("system/Appointment.rs system/Appointment.cu");
        // Even an answer without a body (Prefer: return=minimal) has its entry.
        String id = client.create()
                .resource(booking(practice.motiveId().toString()))
                .prefer(PreferReturnEnum.MINIMAL)
                .execute()
                .getId()
                .getIdPart();
        Appointment cancel =
                client.read().resource(Appointment.class).withId(id).execute().copy();
        cancel.setStatus(Appointment.AppointmentStatus.CANCELLED);
        cancel.getCancelationReason().setText("Le patient a rappelé");
        client.update().resource(cancel).withId(id).execute();

        assertThat(org.springframework.jdbc.core.simple.JdbcClient.create(owner)
                        .sql("SELECT route, purpose, outcome FROM journal_entry"
                                + " WHERE resource_ids @> ARRAY[:id]::uuid[] ORDER BY seq")
                        .param("id", java.util.UUID.fromString(id))
                        .query((rs, n) ->
                                rs.getString("route") + " " + rs.getString("purpose") + " " + rs.getString("outcome"))
                        .list())
                .containsExactly(
                        "POST /fhir/Appointment book CREATED",
                        "GET /fhir/Appointment/{id} read READ",
                        "PUT /fhir/Appointment/{id} cancel UPDATED");
    }

    @Test
    void anAppCancelsAtTheCurrentVersionAndAStaleVersionIsRefused() {
        IGenericClient client = fhir("system/Appointment.rs system/Appointment.cu");
        String id = client.create()
                .resource(booking(practice.motiveId().toString()))
                .execute()
                .getId()
                .getIdPart();
        Appointment current =
                client.read().resource(Appointment.class).withId(id).execute();
        assertThat(current.getMeta().getVersionId()).isEqualTo("1");

        Appointment cancel = current.copy();
        cancel.setStatus(Appointment.AppointmentStatus.CANCELLED);
        cancel.getCancelationReason().setText("Le patient a rappelé");
        client.update()
                .resource(cancel)
                .withId(id)
                .withAdditionalHeader("If-Match", "W/\"1\"")
                .execute();

        Appointment cancelled =
                client.read().resource(Appointment.class).withId(id).execute();
        assertThat(cancelled.getStatus()).isEqualTo(Appointment.AppointmentStatus.CANCELLED);
        assertThat(cancelled.getMeta().getVersionId()).isEqualTo("2");
        assertThatThrownBy(() -> client.update()
                        .resource(cancel)
                        .withId(id)
                        .withAdditionalHeader("If-Match", "W/\"1\"")
                        .execute())
                .isInstanceOf(PreconditionFailedException.class);
        Appointment notACancel = current.copy();
        notACancel.setStatus(Appointment.AppointmentStatus.ARRIVED);
        assertThatThrownBy(() -> client.update().resource(notACancel).withId(id).execute())
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void bookingNeedsTheWriteScopeAndAMotiveOfTheAgenda() {
        assertThatThrownBy(() -> fhir("system/Appointment.rs")
                        .create()
                        .resource(booking(practice.motiveId().toString()))
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        Practice other = fixtures.practice("chirurgien-dentiste");
        assertThatThrownBy(() -> fhir("system/Appointment.rs system/Appointment.cu")
                        .create()
                        .resource(booking(other.motiveId().toString()))
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
    }

    static final String BOOKING_IDS = "https://logiciel-de-cabinet.example/rendez-vous";

    Appointment booking(String motiveId, Instant start, String ourId) {
        Appointment a = booking(motiveId);
        a.setStart(Date.from(start));
        a.addIdentifier().setSystem(BOOKING_IDS).setValue(ourId);
        return a;
    }

    Bundle tuesday(IGenericClient client, ICriterion<?>... narrowing) {
        var query = client.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"));
        for (ICriterion<?> criterion : narrowing) {
            query = query.and(criterion);
        }
        Bundle found = query.returnBundle(Bundle.class).execute();
        assertThat(FhirTestClient.errorsOf(found)).isEmpty();
        return found;
    }

    @Test
    void aConditionalCreateRetriedBooksOnceAndAnswersTheFirstBooking() {
        IGenericClient client = fhir("system/Appointment.rs system/Appointment.cu");
        Appointment wanted = booking(practice.motiveId().toString(), BookingApiTests.TUESDAY_9, "rdv-1");

        MethodOutcome first = client.create()
                .resource(wanted)
                .conditional()
                .where(Appointment.IDENTIFIER.exactly().systemAndCode(BOOKING_IDS, "rdv-1"))
                .execute();
        MethodOutcome again = client.create()
                .resource(wanted)
                .conditional()
                .where(Appointment.IDENTIFIER.exactly().systemAndCode(BOOKING_IDS, "rdv-1"))
                .execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        Appointment answered = (Appointment) again.getResource();
        assertThat(answered.getIdentifierFirstRep().getValue()).isEqualTo("rdv-1");
        assertThat(FhirTestClient.errorsOf(answered)).isEmpty();
        assertThat(tuesday(client).getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(first.getId().getIdPart());

        // The identifier is the booking's: another time with it is refused, and nothing is booked.
        Appointment otherTime =
                booking(practice.motiveId().toString(), BookingApiTests.TUESDAY_9.plus(Duration.ofHours(1)), "rdv-1");
        assertThatThrownBy(() -> client.create().resource(otherTime).execute())
                .isInstanceOf(ResourceVersionConflictException.class);
        assertThat(tuesday(client).getEntry()).hasSize(1);
        assertThatThrownBy(() -> client.create()
                        .resource(booking(
                                practice.motiveId().toString(),
                                BookingApiTests.TUESDAY_9.plus(Duration.ofHours(1)),
                                "rdv-2"))
                        .conditional()
                        .where(Appointment.IDENTIFIER.exactly().systemAndCode(BOOKING_IDS, "rdv-1"))
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theClientSyncsOnlyWhatChangedSinceItsLastSearch() {
        IGenericClient client = fhir("system/Appointment.rs system/Appointment.cu");
        String kept = client.create()
                .resource(booking(practice.motiveId().toString(), BookingApiTests.TUESDAY_9, "rdv-kept"))
                .execute()
                .getId()
                .getIdPart();
        String toCancel = client.create()
                .resource(booking(
                        practice.motiveId().toString(),
                        BookingApiTests.TUESDAY_9.plus(Duration.ofMinutes(30)),
                        "rdv-cancelled"))
                .execute()
                .getId()
                .getIdPart();
        Bundle full = tuesday(client);
        assertThat(full.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(kept, toCancel);
        Instant lastSync = full.getMeta().getLastUpdated().toInstant();

        clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofMinutes(1)));
        Appointment cancel =
                client.read().resource(Appointment.class).withId(toCancel).execute();
        cancel.setStatus(Appointment.AppointmentStatus.CANCELLED);
        cancel.getCancelationReason().setText("Le patient a rappelé");
        client.update().resource(cancel).withId(toCancel).execute();
        String added = client.create()
                .resource(booking(
                        practice.motiveId().toString(), BookingApiTests.TUESDAY_9.plus(Duration.ofHours(1)), "rdv-new"))
                .execute()
                .getId()
                .getIdPart();

        Bundle changes =
                tuesday(client, new DateClientParam("_lastUpdated").after().second(lastSync.toString()));

        assertThat(changes.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(toCancel, added);
        assertThat(changes.getEntry())
                .extracting(e -> ((Appointment) e.getResource()).getStatus())
                .containsExactly(Appointment.AppointmentStatus.CANCELLED, Appointment.AppointmentStatus.BOOKED);
        assertThat(tuesday(
                                client,
                                new DateClientParam("_lastUpdated")
                                        .after()
                                        .second(changes.getMeta()
                                                .getLastUpdatedElement()
                                                .getValueAsString()))
                        .getEntry())
                .isEmpty();
    }

    @Test
    void aSyncLearnsThatAHoldItSawPendingLapsed() {
        IGenericClient client = fhir("system/Appointment.rs");
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-hold-" + java.util.UUID.randomUUID() + "@test.creneau.fr");
        String held = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
        Bundle first = tuesday(client);
        assertThat(first.getEntry())
                .extracting(e -> ((Appointment) e.getResource()).getStatus())
                .containsExactly(Appointment.AppointmentStatus.PENDING);
        Instant lastSync = first.getMeta().getLastUpdated().toInstant();

        clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofMinutes(11)));
        org.springframework.jdbc.core.simple.JdbcClient.create(owner)
                .sql("SELECT release_expired_holds(NULL, :now)")
                .param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .query()
                .listOfRows();
        IGenericClient later = fhir("system/Appointment.rs");

        Bundle changes =
                tuesday(later, new DateClientParam("_lastUpdated").after().second(lastSync.toString()));
        assertThat(changes.getEntry()).singleElement().satisfies(e -> {
            assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(held);
            assertThat(((Appointment) e.getResource()).getStatus()).isEqualTo(Appointment.AppointmentStatus.CANCELLED);
        });
        assertThat(tuesday(later).getEntry())
                .as("a plain search leaves the lapsed hold out")
                .isEmpty();
    }
}
