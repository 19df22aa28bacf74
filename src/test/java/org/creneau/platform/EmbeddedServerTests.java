package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded PostgreSQL as the application starts it: durable, behind passwords kept in a file
 * of its owner, moved to passwords when it comes from before them, and never shared by two
 * applications or left running by a killed one.
 */
class EmbeddedServerTests {

    private static final Path ROOT = Path.of("target/embedded-server-tests").toAbsolutePath();

    @Test
    void aNewServerIsDurableAndAsksEveryRoleForTheirPassword() throws Exception {
        Path data = emptyDataDirectory("fresh");
        try (EmbeddedServer server = EmbeddedServer.startOrShare(new EmbeddedServer.Settings(data, 0, false, false))) {
            try (Connection c = server.dataSource(EmbeddedDatabase.APP, EmbeddedDatabase.DATABASE)
                            .getConnection();
                    Statement s = c.createStatement()) {
                for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                    assertThat(show(s, setting)).as(setting).isEqualTo("on");
                }
            }
            for (String role : List.of("postgres", EmbeddedDatabase.OWNER, EmbeddedDatabase.APP)) {
                assertThatThrownBy(() -> connect(server.port(), role, null))
                        .as(role + " without a password")
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> connect(server.port(), role, "wrong"))
                        .as(role + " with a wrong password")
                        .isInstanceOf(SQLException.class);
                connect(server.port(), role, server.password(role)).close();
            }
            Path credentials = DatabaseCredentials.fileFor(data);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(credentials)).contains(server.password(EmbeddedDatabase.APP));
        }
    }

    @Test
    void aDataDirectoryFromBeforePasswordsStartsAndThenAsksForThem() throws Exception {
        Path data = emptyDataDirectory("from-trust");
        // As the application prepared it before passwords: initdb's "trust", roles without one.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE creneau_owner LOGIN");
            s.execute("CREATE ROLE creneau_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
            s.execute("CREATE DATABASE creneau OWNER creneau_owner");
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");
        assertThat(DatabaseCredentials.fileFor(data)).doesNotExist();

        try (EmbeddedServer server = EmbeddedServer.startOrShare(new EmbeddedServer.Settings(data, 0, false, false))) {
            assertThatThrownBy(() -> connect(server.port(), EmbeddedDatabase.APP, null))
                    .isInstanceOf(SQLException.class);
            try (Connection c =
                    connect(server.port(), EmbeddedDatabase.OWNER, server.password(EmbeddedDatabase.OWNER))) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
        // And the next start finds everything as it left it.
        try (EmbeddedServer again = EmbeddedServer.startOrShare(new EmbeddedServer.Settings(data, 0, false, false));
                Connection c = connect(again.port(), EmbeddedDatabase.APP, again.password(EmbeddedDatabase.APP))) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void aServerInUseIsRefusedToASecondApplicationSharedWithACommandAndStoppedOnceItsOwnerIsKilled() throws Exception {
        Path data = emptyDataDirectory("owned");
        Process owner = startOwnerProcess(data);
        try {
            RunningServer running = RunningServer.in(data).orElseThrow();

            assertThatThrownBy(() -> EmbeddedServer.startOrShare(new EmbeddedServer.Settings(data, 0, false, false)))
                    .isInstanceOf(EmbeddedServerInUse.class)
                    .hasMessageContaining("process " + owner.pid());
            try (EmbeddedServer shared =
                    EmbeddedServer.startOrShare(new EmbeddedServer.Settings(data, 0, false, true))) {
                assertThat(shared.port()).isEqualTo(running.port());
            }
            assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive))
                    .as("a command leaves the server to its owner")
                    .contains(true);

            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive))
                    .as("the killed owner's server is left running")
                    .contains(true);

            long ours;
            try (EmbeddedServer server =
                    EmbeddedServer.startOrShare(new EmbeddedServer.Settings(data, 0, false, false))) {
                assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive))
                        .as("the orphan is stopped")
                        .isNotEqualTo(Optional.of(true));
                ours = RunningServer.in(data).orElseThrow().pid();
                assertThat(ours).isNotEqualTo(running.pid());
                assertThat(ServerOwner.recordedIn(ServerOwner.fileFor(data))).contains(ServerOwner.current());
                connect(server.port(), EmbeddedDatabase.APP, server.password(EmbeddedDatabase.APP))
                        .close();
            }
            assertThat(RunningServer.in(data)).as("stopped at close").isEmpty();
            assertThat(ServerOwner.fileFor(data)).doesNotExist();
        } finally {
            owner.destroyForcibly();
            RunningServer.in(data).ifPresent(orphan -> orphan.stop(Duration.ofSeconds(30)));
        }
    }

    /** A separate JVM that starts the server on {@code data} and waits to be killed. */
    private static Process startOwnerProcess(Path data) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerOwnerProcess.class.getName(),
                data.toString()));
        Path log = ROOT.resolve(data.getFileName() + "-owner-process.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.readAllLines(log).contains(ServerOwnerProcess.READY)) {
                return process;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the owner process did not start its server:\n" + Files.readString(log));
    }

    private static Connection connect(int port, String role, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", role);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", properties);
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Path emptyDataDirectory(String name) throws Exception {
        Path data = ROOT.resolve(name);
        RunningServer.in(data).ifPresent(left -> left.stop(Duration.ofSeconds(30)));
        FileSystemUtils.deleteRecursively(data);
        Files.deleteIfExists(DatabaseCredentials.fileFor(data));
        Files.deleteIfExists(ServerOwner.fileFor(data));
        Files.createDirectories(ROOT);
        return data;
    }
}
