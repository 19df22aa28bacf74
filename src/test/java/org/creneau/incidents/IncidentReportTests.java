package org.creneau.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.platform.Command;
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
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The incident report on a known set of accesses: an app reads records of two organizations through
 * FHIR, a staff account reads and cancels through the JSON API; the report lists exactly those records
 * per organization, shows the actor's change before and after, and says integrity cannot be proven
 * once a journal row has been altered.
 */
@IntegrationTest
class IncidentReportTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    List<Command> commands;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    SmartBackendClient keys;
    String clientId;
    UUID appId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING.plus(Duration.ofDays(3650)));
        keys = new SmartBackendClient(port);
        ApiClient.Response registered = SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel compromis",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                keys.publicJwks(),
                                "scopes",
                                List.of("system/Appointment.rs", "system/Appointment.cu", "system/Patient.r")));
        clientId = registered.text("clientId");
        appId = UUID.fromString(registered.text("id"));
        clock.set(TestConfiguration.MONDAY_MORNING);
    }

    @Test
    void theReportListsExactlyWhatAnAppReadAcrossTwoOrganizationsAndWhatItChanged() throws IOException {
        Practice first = granted(true);
        Practice second = granted(false);
        List<UUID> firstAppointments = List.of(
                book(first, BookingApiTests.TUESDAY_9),
                book(first, BookingApiTests.TUESDAY_9.plus(Duration.ofHours(1))));
        UUID secondAppointment = book(second, BookingApiTests.TUESDAY_9);
        // Not read by the app: outside the window it searches.
        book(first, BookingApiTests.TUESDAY_9.plus(Duration.ofDays(2)));
        Instant from = clock.instant();

        clock.advance(Duration.ofMinutes(1));
        IGenericClient app = fhir();
        Bundle shown = app.search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .returnBundle(Bundle.class)
                .execute();
        Map<String, String> patientOf = shown.getEntry().stream()
                .map(e -> (Appointment) e.getResource())
                .collect(Collectors.toMap(a -> a.getIdElement().getIdPart(), IncidentReportTests::patientOf));
        assertThat(patientOf.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(firstAppointments.stream(), Stream.of(secondAppointment))
                                .map(UUID::toString)
                                .toList());
        clock.advance(Duration.ofMinutes(1));
        String readPatient = patientOf.get(firstAppointments.get(0).toString());
        app.read().resource(Patient.class).withId(readPatient).execute();
        Instant to = clock.instant().plus(Duration.ofMinutes(10));

        JsonNode records = report("--app", appId.toString(), from, to, null);
        JsonNode byFirst = organization(records, first.organizationId());
        JsonNode bySecond = organization(records, second.organizationId());
        assertThat(records.path("organizations").size()).isEqualTo(2);
        assertThat(ids(byFirst.path("appointments")))
                .containsExactlyInAnyOrderElementsOf(
                        firstAppointments.stream().map(UUID::toString).toList());
        assertThat(ids(byFirst.path("patients")))
                .containsExactlyInAnyOrder(
                        patientOf.get(firstAppointments.get(0).toString()),
                        patientOf.get(firstAppointments.get(1).toString()));
        assertThat(byFirst.path("counts").path("appointments").asInt()).isEqualTo(2);
        assertThat(byFirst.path("counts").path("patients").asInt()).isEqualTo(2);
        assertThat(byFirst.path("counts").path("patientsWithContactDetails").asInt())
                .as("only the patient read directly, under the grant with contact details")
                .isEqualTo(1);
        assertThat(ids(bySecond.path("appointments"))).containsExactly(secondAppointment.toString());
        assertThat(ids(bySecond.path("patients"))).containsExactly(patientOf.get(secondAppointment.toString()));
        assertThat(bySecond.path("counts").path("patientsWithContactDetails").asInt())
                .isZero();
        assertThat(records.path("totals").path("patients").asInt()).isEqualTo(3);

        Path dir = lastDir;
        assertThat(Files.readString(dir.resolve("integrity.txt"))).contains("Verdict: No record was altered");
        assertThat(Files.readString(dir.resolve("cnil-notification.fr.txt")))
                .contains("Nombre approximatif de personnes concernées : 3")
                .contains("Logiciel compromis");
        assertThat(Files.readString(dir.resolve("organizations/" + first.organizationId() + "/extract.csv"))
                        .lines()
                        .count())
                .as("a header, two appointments and two patients")
                .isEqualTo(5);
        try (Stream<Path> letters = Files.list(dir.resolve("letters/" + first.organizationId()))) {
            assertThat(letters.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            patientOf.get(firstAppointments.get(0).toString()) + ".fr.txt",
                            patientOf.get(firstAppointments.get(1).toString()) + ".fr.txt");
        }
        assertThat(Files.readString(dir.resolve("summary.html")))
                .contains("<svg")
                .contains("<rect");

        // The app changes one appointment: the report shows it before and after, and no longer says nothing changed.
        clock.advance(Duration.ofMinutes(1));
        Appointment cancelled = new Appointment();
        cancelled.setId(firstAppointments.get(1).toString());
        cancelled.setStatus(Appointment.AppointmentStatus.CANCELLED);
        cancelled.getCancelationReason().setText("Annulé par le logiciel");
        app.update().resource(cancelled).execute();
        records = report("--app", appId.toString(), from, to, null);
        String integrity = Files.readString(lastDir.resolve("integrity.txt"));
        assertThat(integrity)
                .contains("Integrity cannot be proven")
                .contains("UPDATE Appointment/" + firstAppointments.get(1))
                .contains("\"status\": \"BOOKED\"")
                .contains("\"status\": \"CANCELLED\"");
        assertThat(ids(organization(records, first.organizationId()).path("appointments")))
                .as("a write is a record touched too, not a new one")
                .hasSize(2);

        // One journal row altered in the database: integrity cannot be proven, and the report says why.
        JdbcTemplate asOwner = new JdbcTemplate(owner);
        long target = asOwner.queryForObject(
                "SELECT min(seq) FROM journal_entry WHERE actor_id = ?::uuid", Long.class, appId.toString());
        String route = asOwner.queryForObject("SELECT route FROM journal_entry WHERE seq = ?", String.class, target);
        try {
            asOwner.update("UPDATE journal_entry SET route = 'GET /nothing-to-see' WHERE seq = ?", target);
            report("--app", appId.toString(), from, to, null);
            assertThat(Files.readString(lastDir.resolve("integrity.txt")))
                    .contains("Integrity cannot be proven")
                    .contains("NOT intact")
                    .contains("entry " + target + " was changed")
                    .contains("The journal does not verify");
        } finally {
            asOwner.update("UPDATE journal_entry SET route = ? WHERE seq = ?", route, target);
        }
    }

    @Test
    void theReportOfAStaffAccountListsWhatItReadAndShowsTheAppointmentItCancelled() throws IOException {
        Practice practice = fixtures.practice("orl");
        UUID kept = book(practice, BookingApiTests.TUESDAY_9);
        UUID changed = book(practice, BookingApiTests.TUESDAY_9.plus(Duration.ofHours(1)));
        Instant from = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        ApiClient desk = SignIn.staff(port, practice.staffEmail());
        ApiClient.Response agenda = desk.get(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from=2027-01-05&to=2027-01-06");
        assertThat(agenda.status()).isEqualTo(200);
        assertThat(desk.post(
                                "/api/v1/staff/appointments/" + changed + "/cancel",
                                Map.of("reason", "Demande du patient"))
                        .status())
                .isEqualTo(200);
        Instant to = clock.instant().plus(Duration.ofMinutes(5));

        JsonNode records = report("--account", practice.staffAccountId().toString(), from, to, null);
        assertThat(records.path("organizations").size()).isEqualTo(1);
        JsonNode org = organization(records, practice.organizationId());
        assertThat(ids(org.path("appointments"))).containsExactlyInAnyOrder(kept.toString(), changed.toString());
        assertThat(org.path("counts").path("patients").asInt()).isEqualTo(2);
        String integrity = Files.readString(lastDir.resolve("integrity.txt"));
        assertThat(integrity)
                .contains("Integrity cannot be proven")
                .contains("UPDATE Appointment/" + changed)
                .contains("\"status\": \"CANCELLED\"")
                .doesNotContain("Appointment/" + kept);
    }

    @Test
    void theCommandRefusesAWindowThatEndsBeforeItStarts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = incident()
                .run(
                        List.of(
                                "report",
                                "--app",
                                appId.toString(),
                                "--from",
                                "2027-01-05T00:00:00Z",
                                "--to",
                                "2027-01-04T00:00:00Z"),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--to must be after --from");
    }

    Path lastDir;

    JsonNode report(String actorOption, String actor, Instant from, Instant to, String extra) throws IOException {
        lastDir = Files.createTempDirectory("incident-report");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(
                "report",
                actorOption,
                actor,
                "--from",
                from.toString(),
                "--to",
                to.toString(),
                "--out",
                lastDir.toString()));
        int code = incident().run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("Incident report written to").doesNotContain("@");
        return JsonMapper.builder().build().readTree(Files.readString(lastDir.resolve("records.json")));
    }

    Command incident() {
        return commands.stream()
                .filter(c -> c.name().equals("incident"))
                .findFirst()
                .orElseThrow();
    }

    Practice granted(boolean contactDetails) {
        Practice practice = fixtures.practice("orl");
        SignIn.staff(port, practice.adminEmail())
                .post(
                        "/api/v1/staff/connected-app-grants",
                        Map.of(
                                "clientId", clientId,
                                "scopes", List.of("system/Appointment.rs", "system/Appointment.cu", "system/Patient.r"),
                                "contactDetails", contactDetails));
        return practice;
    }

    UUID book(Practice practice, Instant start) {
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("incident-" + UUID.randomUUID() + "@test.creneau.fr");
        ApiClient.Response booked = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", start.toString()));
        assertThat(booked.status()).as(booked.raw().body()).isIn(200, 201);
        assertThat(patient.post("/api/v1/appointments/" + booked.text("id") + "/confirm", null)
                        .status())
                .isEqualTo(200);
        return UUID.fromString(booked.text("id"));
    }

    IGenericClient fhir() {
        String token = keys.accessToken(
                clientId, clock.instant(), "system/Appointment.rs system/Appointment.cu system/Patient.r");
        return FhirTestClient.withToken(port, token);
    }

    static String patientOf(Appointment a) {
        return a.getParticipant().stream()
                .map(p -> p.getActor().getReference())
                .filter(ref -> ref.startsWith("Patient/"))
                .findFirst()
                .orElseThrow()
                .substring("Patient/".length());
    }

    static JsonNode organization(JsonNode records, UUID id) {
        for (JsonNode o : records.path("organizations")) {
            if (o.path("id").asString().equals(id.toString())) {
                return o;
            }
        }
        throw new AssertionError("organization " + id + " not in the report");
    }

    static Set<String> ids(JsonNode list) {
        Set<String> ids = new java.util.HashSet<>();
        list.forEach(n -> ids.add(n.path("id").asString()));
        return ids;
    }
}
