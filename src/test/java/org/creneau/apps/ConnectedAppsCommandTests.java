package org.creneau.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.creneau.CommandLine;
import org.creneau.platform.Command;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.RecordedEvents;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code java -jar creneau.jar apps ...}: an operator registers, grants, suspends and revokes
 * connected apps from the server's shell, through the same registry and grants as the JSON API.
 * Most runs go through {@link CommandLine}, as the jar does, against the test's running database.
 */
@IntegrationTest
class ConnectedAppsCommandTests {

    static final String SCOPES = "system/Appointment.rs,system/Slot.rs";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordedEvents events;

    @Autowired
    List<Command> commands;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    @TempDir
    Path directory;

    Practice practice;
    SmartBackendClient vendor;
    Path jwksFile;

    @BeforeEach
    void setUp() throws Exception {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("dermatologue");
        vendor = new SmartBackendClient(port);
        jwksFile = directory.resolve("jwks.json");
        Files.writeString(jwksFile, JSONObjectUtils.toJSONString(vendor.publicJwks()));
    }

    @Test
    void anOperatorRegistersGrantsListsSuspendsAndRevokesFromTheCommandLine() {
        String name = "Logiciel " + UUID.randomUUID();
        Run registered = apps(
                "register",
                "--name",
                name,
                "--contact",
                "securite@editeur.example",
                "--jwks-file",
                jwksFile.toString(),
                "--scopes",
                SCOPES);
        assertThat(registered.code()).as(registered.output()).isZero();
        String appId = registered.value("app id");
        String clientId = registered.value("client id");
        assertThat(db().queryForObject("SELECT status FROM connected_app WHERE id = ?::uuid", String.class, appId))
                .isEqualTo("ACTIVE");

        Run granted = apps(
                "grant",
                "--app",
                clientId,
                "--organization",
                practice.organizationId().toString(),
                "--scopes",
                "system/Slot.rs",
                "--practitioners",
                practice.practitionerId().toString(),
                "--contact-details");
        assertThat(granted.code()).as(granted.output()).isZero();
        String grantId = granted.value("grant id");
        var row = db().queryForMap("SELECT * FROM app_grant WHERE id = ?::uuid", grantId);
        assertThat(row.get("organization_id")).isEqualTo(practice.organizationId());
        assertThat(row.get("app_id").toString()).isEqualTo(appId);
        assertThat(row.get("contact_details")).isEqualTo(true);
        assertThat(row.get("granted_by_account_id"))
                .as("no account acts on the command line")
                .isNull();

        Run apps = apps("list");
        assertThat(apps.code()).isZero();
        assertThat(apps.output())
                .containsPattern(appId + "\\s+" + clientId + "\\s+ACTIVE\\s+" + SCOPES + "\\s+" + name);
        Run grants = apps("list", "--organization", practice.organizationId().toString());
        assertThat(grants.output())
                .containsPattern(grantId + "\\s+" + clientId + "\\s+ACTIVE\\s+1\\s+yes\\s+system/Slot.rs\\s+" + name)
                .contains("1 grant.");

        Run suspended = apps(
                "suspend",
                "--grant",
                grantId,
                "--organization",
                practice.organizationId().toString());
        assertThat(suspended.code()).as(suspended.output()).isZero();
        assertThat(suspended.output()).contains("grant " + grantId + " SUSPENDED");
        assertThat(grantStatus(grantId)).isEqualTo("SUSPENDED");

        Run revoked = apps(
                "revoke",
                "--grant",
                grantId,
                "--organization",
                practice.organizationId().toString());
        assertThat(revoked.code()).as(revoked.output()).isZero();
        assertThat(grantStatus(grantId)).isEqualTo("REVOKED");
        assertThat(apps(
                        "resume",
                        "--grant",
                        grantId,
                        "--organization",
                        practice.organizationId().toString()))
                .satisfies(r -> assertThat(r.code()).isEqualTo(1))
                .satisfies(r -> assertThat(r.output()).contains("stays revoked"));
    }

    @Test
    void anAppSuspendedFromTheCommandLineGetsNoMoreTokens() {
        Run registered = apps(
                "register",
                "--name=Logiciel de cabinet",
                "--contact=securite@editeur.example",
                "--jwks-file=" + jwksFile,
                "--scopes=" + SCOPES);
        String appId = registered.value("app id");
        String clientId = registered.value("client id");
        assertThat(apps(
                                "grant",
                                "--app",
                                appId,
                                "--organization",
                                practice.organizationId().toString(),
                                "--scopes",
                                SCOPES)
                        .code())
                .isZero();
        assertThat(vendor.requestToken(assertion(clientId), "system/Slot.rs").status())
                .isEqualTo(200);

        Run suspended = apps("suspend", "--app", clientId);

        assertThat(suspended.output()).contains("app " + appId + " SUSPENDED");
        SmartBackendClient.assertRefused(vendor.requestToken(assertion(clientId), "system/Slot.rs"), "invalid_client");
        assertThat(apps("reactivate", "--app", appId).code()).isZero();
        assertThat(vendor.requestToken(assertion(clientId), "system/Slot.rs").status())
                .isEqualTo(200);
    }

    @Test
    void anUnknownScopeIsRefusedNamingTheOptionAndNothingIsRegistered() {
        String name = "Logiciel " + UUID.randomUUID();

        Run refused = apps(
                "register",
                "--name",
                name,
                "--contact",
                "securite@editeur.example",
                "--jwks-file",
                jwksFile.toString(),
                "--scopes",
                "system/Appointment.rs,system/Everything.cruds");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.output()).startsWith("--scopes has an unknown scope").hasLineCount(1);
        assertThat(db().queryForObject("SELECT count(*) FROM connected_app WHERE name = ?", Long.class, name))
                .isZero();
    }

    @Test
    void anUnknownGrantOrAnotherOrganizationsGrantIsNotFound() {
        String appId = registerInProcess().get(0);
        String grantId = inProcess(
                        "grant",
                        "--app",
                        appId,
                        "--organization",
                        practice.organizationId().toString(),
                        "--scopes",
                        "system/Slot.rs")
                .value("grant id");
        Practice other = fixtures.practice("dermatologue");

        Run unknown = apps(
                "suspend",
                "--grant",
                UUID.randomUUID().toString(),
                "--organization",
                practice.organizationId().toString());
        Run elsewhere = inProcess(
                "revoke",
                "--grant",
                grantId,
                "--organization",
                other.organizationId().toString());

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.output()).isEqualToIgnoringNewLines("grant not found");
        assertThat(elsewhere.code()).isEqualTo(1);
        assertThat(elsewhere.output()).contains("grant not found");
        assertThat(grantStatus(grantId)).isEqualTo("ACTIVE");
    }

    @Test
    void badInputIsOneLineNamingTheOptionAndWritesNothing() throws Exception {
        String org = practice.organizationId().toString();
        String appId = registerInProcess().get(0);
        Path privateKeys = directory.resolve("private.json");
        Files.writeString(privateKeys, new JWKSet(vendor.rsa).toString(false));

        assertThat(inProcess("grant", "--app", appId, "--organization", "Cabinet", "--scopes", "system/Slot.rs"))
                .isEqualTo(new Run(2, "--organization must be an id (a UUID), not 'Cabinet'\n"));
        assertThat(inProcess("grant", "--app", appId, "--scopes", "system/Slot.rs"))
                .isEqualTo(new Run(2, "--organization is required\n"));
        assertThat(inProcess("grant", "--app", appId, "--organization", org, "--scopes", "system/Patient.r"))
                .satisfies(r -> assertThat(r.code()).isEqualTo(2))
                .satisfies(r -> assertThat(r.output()).startsWith("--scopes may only hold scopes the app is allowed"));
        assertThat(inProcess(
                                "grant",
                                "--app",
                                appId,
                                "--organization",
                                org,
                                "--scopes",
                                "system/Slot.rs",
                                "--practitioners",
                                UUID.randomUUID().toString())
                        .output())
                .isEqualTo("--practitioners must be practitioners of the organization\n");
        assertThat(inProcess("grant", "--app", appId, "--organization", org, "--scopes", "system/Slot.rs", "--force"))
                .isEqualTo(new Run(2, "--force is not an option of apps grant\n"));
        assertThat(inProcess(
                        "register",
                        "--name",
                        "Logiciel",
                        "--contact",
                        "securite@editeur.example",
                        "--jwks-file",
                        privateKeys.toString(),
                        "--scopes",
                        SCOPES))
                .isEqualTo(new Run(2, "--jwks-file must hold public keys only\n"));
        assertThat(inProcess(
                        "register",
                        "--name",
                        "Logiciel",
                        "--contact",
                        "securite@editeur.example",
                        "--jwks-url",
                        "https://editeur.example/jwks.json",
                        "--jwks-file",
                        jwksFile.toString(),
                        "--scopes",
                        SCOPES))
                .isEqualTo(new Run(2, "give either --jwks-url or --jwks-file\n"));
        assertThat(db().queryForObject(
                                "SELECT count(*) FROM app_grant WHERE organization_id = ?",
                                Long.class,
                                practice.organizationId()))
                .isZero();
        assertThat(inProcess(
                        "grant",
                        "--app",
                        UUID.randomUUID().toString(),
                        "--organization",
                        org,
                        "--scopes",
                        "system/Slot.rs"))
                .isEqualTo(new Run(1, "connected app not found\n"));
        assertThat(inProcess(
                        "grant",
                        "--app",
                        appId,
                        "--organization",
                        UUID.randomUUID().toString(),
                        "--scopes",
                        "system/Slot.rs"))
                .isEqualTo(new Run(1, "organization not found\n"));
    }

    @Test
    void commandLineChangesPublishTheApisEventsWithNoActor() {
        List<String> app = registerInProcess();
        UUID appId = UUID.fromString(app.get(0));
        UUID grantId = UUID.fromString(inProcess(
                        "grant",
                        "--app",
                        app.get(1),
                        "--organization",
                        practice.organizationId().toString(),
                        "--scopes",
                        "system/Slot.rs")
                .value("grant id"));
        inProcess(
                "suspend",
                "--grant",
                grantId.toString(),
                "--organization",
                practice.organizationId().toString());
        inProcess("suspend", "--app", appId.toString());

        assertThat(events.of(ConnectedAppChanged.class).stream()
                        .filter(e -> e.appId().equals(appId)))
                .extracting(ConnectedAppChanged::kind, ConnectedAppChanged::actorAccountId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ConnectedAppChanged.Kind.REGISTERED, null),
                        org.assertj.core.groups.Tuple.tuple(ConnectedAppChanged.Kind.SUSPENDED, null));
        assertThat(events.of(AppGrantChanged.class).stream()
                        .filter(e -> e.grantId().equals(grantId)))
                .extracting(AppGrantChanged::kind, AppGrantChanged::organizationId, AppGrantChanged::actorAccountId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                AppGrantChanged.Kind.GRANTED, practice.organizationId(), null),
                        org.assertj.core.groups.Tuple.tuple(
                                AppGrantChanged.Kind.SUSPENDED, practice.organizationId(), null));
    }

    record Run(int code, String output) {

        /** The last word of the line that starts with {@code label}. */
        String value(String label) {
            return output.lines()
                    .filter(l -> l.startsWith(label + " "))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + label + "' in: " + output));
        }
    }

    /** As the jar runs it: its own application context, on the test's running database. */
    private Run apps(String... words) {
        String[] args = Stream.of(
                        Stream.of("apps"),
                        Arrays.stream(words),
                        Stream.of(
                                "--creneau.database.embedded.data-dir=target/test-postgres/shared",
                                "--creneau.journal.checkpoint-directory=target/test-journal/checkpoints",
                                "--creneau.journal.key-directory=target/test-journal/keys"))
                .flatMap(s -> s)
                .toArray(String[]::new);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = CommandLine.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Run(code, buffer.toString(StandardCharsets.UTF_8));
    }

    /** The same command bean in the test's own context: quicker, and its events are recorded. */
    private Run inProcess(String... words) {
        Command apps = commands.stream()
                .filter(c -> c.name().equals("apps"))
                .findFirst()
                .orElseThrow();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = apps.run(List.of(words), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Run(code, buffer.toString(StandardCharsets.UTF_8));
    }

    /** Registers an app allowed {@link #SCOPES}; returns its id and client id. */
    private List<String> registerInProcess() {
        Run registered = inProcess(
                "register",
                "--name",
                "Logiciel de cabinet",
                "--contact",
                "securite@editeur.example",
                "--jwks-file",
                jwksFile.toString(),
                "--scopes",
                SCOPES);
        assertThat(registered.code()).as(registered.output()).isZero();
        return List.of(registered.value("app id"), registered.value("client id"));
    }

    private String assertion(String clientId) {
        return vendor.sign(vendor.claims(clientId, clock.instant()).build(), vendor.rsa);
    }

    private String grantStatus(String grantId) {
        return db().queryForObject("SELECT status FROM app_grant WHERE id = ?::uuid", String.class, grantId);
    }

    private JdbcTemplate db() {
        return new JdbcTemplate(owner);
    }
}
