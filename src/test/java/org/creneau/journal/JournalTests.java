package org.creneau.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.CommandLine;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every access lands in a hash-chained journal the application cannot rewrite, and tampering is named. */
@IntegrationTest
class JournalTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    DataSource app;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;
    ApiClient patient;
    String appointmentId;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("gynecologue");
        patient = new ApiClient(port);
        patient.registerAndLogin("journal-" + UUID.randomUUID() + "@test.creneau.fr");
        appointmentId = patient.post(
                        "/api/v1/appointments",
                        Map.of(
                                "practitionerId", practice.practitionerId(),
                                "siteId", practice.siteId(),
                                "motiveId", practice.motiveId(),
                                "start", BookingApiTests.TUESDAY_9.toString()))
                .text("id");
    }

    long entriesAbout(String id) {
        return new JdbcTemplate(owner)
                .queryForObject(
                        "SELECT count(*) FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid]", Long.class, id);
    }

    @Test
    void everyAccessToAnAppointmentIsJournaledWithFieldNamesAndNoPatientData() {
        assertThat(entriesAbout(appointmentId)).isEqualTo(1);
        patient.get("/api/v1/appointments/" + appointmentId);
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from=2027-01-05&to=2027-01-06");
        assertThat(entriesAbout(appointmentId)).isEqualTo(3);

        var deskEntry = new JdbcTemplate(owner)
                .queryForMap(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND actor_role = 'SECRETARY'",
                        appointmentId);
        assertThat(deskEntry.get("organization_id")).isEqualTo(practice.organizationId());
        assertThat(deskEntry.get("route")).isEqualTo("GET /api/v1/staff/agendas/{practitionerId}/appointments");
        assertThat((String) deskEntry.get("canonical"))
                .contains("patientLastName")
                .doesNotContain("Testeuse")
                .doesNotContain("Jeanne");
    }

    @Test
    void whenTheJournalCannotBeWrittenTheAnswerIsWithheld() {
        JdbcTemplate asOwner = new JdbcTemplate(owner);
        String signature = "journal_append(timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[],"
                + " text[], text, text)";
        asOwner.execute("REVOKE EXECUTE ON FUNCTION " + signature + " FROM creneau_app");
        ApiClient.Response read;
        try {
            read = patient.get("/api/v1/appointments/" + appointmentId);
        } finally {
            asOwner.execute("GRANT EXECUTE ON FUNCTION " + signature + " TO creneau_app");
        }

        assertThat(read.status()).isEqualTo(503);
        // Only the problem: the address asked for is echoed, nothing of the appointment itself.
        assertThat(read.raw().body())
                .contains("journal-unavailable")
                .doesNotContain(practice.practitionerId().toString())
                .doesNotContain(practice.motiveId().toString());
        assertThat(read.raw().headers().firstValue("Retry-After")).contains("5");
        assertThat(read.raw().headers().firstValue("Content-Type").orElseThrow())
                .contains("problem+json");
        assertThat(entriesAbout(appointmentId)).isEqualTo(1);
        // The journal back, the same read is answered and journaled.
        assertThat(patient.get("/api/v1/appointments/" + appointmentId).status())
                .isEqualTo(200);
        assertThat(entriesAbout(appointmentId)).isEqualTo(2);
    }

    @Test
    void aDeskBookingIsJournaledUnderTheRouteItWasMatchedBy() {
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        var booked = desk.post(
                "/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments",
                Map.of(
                        "motiveId", practice.motiveId(),
                        "siteId", practice.siteId(),
                        "start", BookingApiTests.TUESDAY_9.plusSeconds(3600).toString(),
                        "patient",
                                Map.of(
                                        "firstName", "Paul",
                                        "lastName", "Durand-Journal",
                                        "birthDate", "1961-07-14",
                                        "phone", "+33 6 98 76 54 32")));
        assertThat(booked.status()).isEqualTo(201);

        var entry = new JdbcTemplate(owner)
                .queryForMap("SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid]", booked.text("id"));
        assertThat(entry.get("route")).isEqualTo("POST /api/v1/staff/agendas/{practitionerId}/appointments");
        assertThat(entry.get("purpose")).isEqualTo("book for a patient");
        assertThat(entry.get("resource_type")).isEqualTo("Appointment");
        assertThat(entry.get("outcome")).isEqualTo("CREATED");
        assertThat((String) entry.get("canonical")).contains("orgPatientId").doesNotContain("Durand-Journal");
    }

    @Test
    void aRefusedAttemptOnSomeoneElsesAppointmentIsJournaledToo() {
        ApiClient stranger = new ApiClient(port);
        String strangerAccount = stranger.registerAndLogin("stranger-" + UUID.randomUUID() + "@test.creneau.fr");
        assertThat(stranger.get("/api/v1/appointments/" + appointmentId).status())
                .isEqualTo(404);
        var refusal = new JdbcTemplate(owner)
                .queryForMap(
                        "SELECT * FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid] AND actor_id = ?::uuid",
                        appointmentId,
                        strangerAccount);
        assertThat(refusal.get("outcome")).isEqualTo("NOT_FOUND");
        assertThat(refusal.get("route")).isEqualTo("GET /api/v1/appointments/{id}");
    }

    @Test
    void theApplicationRoleMayOnlyAppendToTheJournal() {
        JdbcTemplate asApp = new JdbcTemplate(app);
        assertThatThrownBy(() -> asApp.queryForObject("SELECT count(*) FROM journal_entry", Long.class))
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asApp.update("UPDATE journal_entry SET route = 'x'"))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asApp.update("DELETE FROM journal_entry"))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asApp.update("UPDATE journal_chain_head SET seq = 0"))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asApp.queryForObject("SELECT count(*) FROM journal_checkpoint_head", Long.class))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asApp.update("DELETE FROM journal_checkpoint"))
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    @Test
    void aPatientSeesThatTheSecretaryReadTheirAppointment() {
        ApiClient desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        desk.get("/api/v1/staff/appointments/" + appointmentId);
        var log = patient.get("/api/v1/me/access-log");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body()
                        .path("items")
                        .valueStream()
                        .map(a ->
                                a.path("who").asString() + "/" + a.path("role").asString()))
                .contains("PRACTICE_STAFF/SECRETARY");
        assertThat(log.body()
                        .path("items")
                        .valueStream()
                        .map(a -> a.path("role").asString()))
                .as("the patient's own reads are not listed as others' accesses")
                .doesNotContain("PATIENT");
    }

    @Test
    void journalVerifyPassesThenNamesTheEntryThatWasChangedOrRemoved() throws Exception {
        assertThat(verify()).startsWith("0:Journal intact");
        JdbcTemplate asOwner = new JdbcTemplate(owner);
        long target = asOwner.queryForObject(
                "SELECT max(seq) FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid]", Long.class, appointmentId);
        String route = asOwner.queryForObject("SELECT route FROM journal_entry WHERE seq = ?", String.class, target);
        try {
            asOwner.update("UPDATE journal_entry SET route = 'GET /nothing-to-see' WHERE seq = ?", target);
            assertThat(verify()).startsWith("1:").contains("entry " + target + " was changed");
        } finally {
            asOwner.update("UPDATE journal_entry SET route = ? WHERE seq = ?", route, target);
        }
        assertThat(verify()).startsWith("0:");

        String chain = asOwner.queryForObject("SELECT chain_id FROM journal_entry WHERE seq = ?", String.class, target);
        long position = asOwner.queryForObject("SELECT chain_seq FROM journal_entry WHERE seq = ?", Long.class, target);
        asOwner.execute("DROP TABLE IF EXISTS journal_entry_saved");
        asOwner.update("CREATE TABLE journal_entry_saved AS SELECT * FROM journal_entry WHERE seq = ?", target);
        try {
            asOwner.update("DELETE FROM journal_entry WHERE seq = ?", target);
            assertThat(verify()).startsWith("1:").contains("chain " + chain).contains("position " + position);
        } finally {
            asOwner.update("INSERT INTO journal_entry SELECT * FROM journal_entry_saved");
            asOwner.execute("DROP TABLE journal_entry_saved");
        }
        assertThat(verify()).startsWith("0:");
    }

    @Test
    void aSignedCheckpointCatchesAChainRewrittenFromScratch() throws Exception {
        assertThat(command("journal", "checkpoint")).startsWith("0:Checkpoint signed");
        Path checkpoints = Path.of("target/test-journal/checkpoints");
        Path last;
        try (var files = Files.list(checkpoints)) {
            last = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        String original = Files.readString(last);
        try {
            Files.writeString(last, withFirstHashDigitFlipped(original));
            assertThat(verify()).startsWith("1:").contains("bad signature");
        } finally {
            Files.writeString(last, original);
        }
        assertThat(verify()).startsWith("0:");
    }

    @Test
    void journalVerifyWorksWithThePublicKeyAloneAndStillCatchesAChange() throws Exception {
        assertThat(command("journal", "checkpoint")).startsWith("0:Checkpoint signed");
        // A verifier away from the servers: a directory holding the public half of the key, nothing else.
        Path publicOnly = Files.createDirectories(Path.of("target/test-journal/public-" + UUID.randomUUID()));
        Files.copy(
                Path.of("target/test-journal/keys/journal-signing.pub.json"),
                publicOnly.resolve("journal-signing.pub.json"));

        String intact = verifyWithKeysIn(publicOnly);
        assertThat(intact).startsWith("0:Journal intact");
        assertThat(intact).doesNotContain(" 0 signed checkpoints");
        try (var files = Files.list(publicOnly)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("no secret key read or created")
                    .containsExactly("journal-signing.pub.json");
        }

        JdbcTemplate asOwner = new JdbcTemplate(owner);
        long target = asOwner.queryForObject(
                "SELECT max(seq) FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid]", Long.class, appointmentId);
        String route = asOwner.queryForObject("SELECT route FROM journal_entry WHERE seq = ?", String.class, target);
        try {
            asOwner.update("UPDATE journal_entry SET route = 'GET /nothing-to-see' WHERE seq = ?", target);
            assertThat(verifyWithKeysIn(publicOnly)).startsWith("1:").contains("entry " + target + " was changed");
        } finally {
            asOwner.update("UPDATE journal_entry SET route = ? WHERE seq = ?", route, target);
        }
    }

    private String verifyWithKeysIn(Path keys) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String[] args = {
            "journal",
            "verify",
            "--creneau.database.embedded.data-dir=target/test-postgres/shared",
            "--creneau.journal.checkpoint-directory=target/test-journal/checkpoints",
            "--creneau.journal.key-directory=" + keys
        };
        int code = CommandLine.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return code + ":" + buffer.toString(StandardCharsets.UTF_8);
    }

    /** The same checkpoint text with the first digit of its root changed (always to another digit). */
    private static String withFirstHashDigitFlipped(String checkpoint) {
        int at = checkpoint.indexOf("root=") + "root=".length();
        char digit = checkpoint.charAt(at);
        return checkpoint.substring(0, at) + (digit == '0' ? '1' : '0') + checkpoint.substring(at + 1);
    }

    private String verify() {
        return command("journal", "verify");
    }

    private String command(String... words) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String[] args = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(words),
                        java.util.stream.Stream.of(
                                "--creneau.database.embedded.data-dir=target/test-postgres/shared",
                                "--creneau.journal.checkpoint-directory=target/test-journal/checkpoints",
                                "--creneau.journal.key-directory=target/test-journal/keys"))
                .toArray(String[]::new);
        int code = CommandLine.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return code + ":" + buffer.toString(StandardCharsets.UTF_8);
    }
}
