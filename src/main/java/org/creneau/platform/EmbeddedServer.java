package org.creneau.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded PostgreSQL of a data directory, as this process uses it: started here (and stopped
 * at {@link #close()}), or, for a command of the jar, the one a live Créneau process already runs
 * there. It is durable (fsync, full-page writes and synchronous commit on) and asks every role for
 * its password (SCRAM), the passwords being kept in {@link DatabaseCredentials}' file.
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    /** The settings that make a committed transaction survive a crash of the process or the machine. */
    static final Map<String, String> DURABILITY =
            Map.of("fsync", "on", "full_page_writes", "on", "synchronous_commit", "on");

    /** Our pg_hba.conf: a password for every connection, local socket or loopback. */
    static final String PASSWORD_FOR_EVERY_CONNECTION = """
            # Written by Créneau: every role gives its password (SCRAM), see data/postgres-credentials.properties.
            local   all   all                 scram-sha-256
            host    all   all   127.0.0.1/32  scram-sha-256
            host    all   all   ::1/128       scram-sha-256
            """;

    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);

    /** Serializes starts within this JVM; the file lock serializes them between processes. */
    private static final Object STARTING = new Object();

    /**
     * How this process may use the data directory. {@code durable} is false only for test suites
     * that trade crash safety for speed (a commit then skips its wait for the disk).
     */
    record Settings(Path dataDirectory, int port, boolean clean, boolean mayShareRunningServer, boolean durable) {

        Settings {
            dataDirectory = dataDirectory.toAbsolutePath().normalize();
        }

        Settings(Path dataDirectory, int port, boolean clean, boolean mayShareRunningServer) {
            this(dataDirectory, port, clean, mayShareRunningServer, true);
        }
    }

    private final Path dataDirectory;
    private final int port;
    private final DatabaseCredentials credentials;
    private final EmbeddedPostgres started;
    private final ServerOwner owner;

    private EmbeddedServer(
            Path dataDirectory,
            int port,
            DatabaseCredentials credentials,
            EmbeddedPostgres started,
            ServerOwner owner) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.credentials = credentials;
        this.started = started;
        this.owner = owner;
    }

    /**
     * The server of {@code settings.dataDirectory()}: a running one whose owner is alive is shared
     * when {@code mayShareRunningServer} (commands of the jar) and refused otherwise; one whose owner
     * died is stopped; then this process starts its own.
     */
    static EmbeddedServer startOrShare(Settings settings) throws IOException, SQLException {
        Path directory = settings.dataDirectory();
        Files.createDirectories(directory.getParent());
        synchronized (STARTING) {
            try (FileChannel lockFile = FileChannel.open(
                            directory.resolveSibling(directory.getFileName() + ".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock ignored = lockFile.lock()) {
                Path ownerFile = ServerOwner.fileFor(directory);
                Optional<RunningServer> running = RunningServer.in(directory);
                if (running.isPresent()) {
                    Optional<ServerOwner> owner =
                            ServerOwner.recordedIn(ownerFile).filter(ServerOwner::isAlive);
                    if (owner.isPresent()) {
                        if (!settings.mayShareRunningServer()) {
                            throw new EmbeddedServerInUse(directory, owner.get().pid(), running.get());
                        }
                        DatabaseCredentials credentials =
                                DatabaseCredentials.loadOrCreate(DatabaseCredentials.fileFor(directory));
                        log.info(
                                "Using the embedded PostgreSQL already running on port {} (process {}, started by Créneau process {})",
                                running.get().port(),
                                running.get().pid(),
                                owner.get().pid());
                        return new EmbeddedServer(directory, running.get().port(), credentials, null, null);
                    }
                    log.warn(
                            "Stopping the embedded PostgreSQL (process {}) left running on {} by a Créneau process that is gone",
                            running.get().pid(),
                            directory);
                    running.get().stop(STOP_PATIENCE);
                }
                if (settings.clean()) {
                    // Tests start from an empty database every run.
                    FileSystemUtils.deleteRecursively(directory);
                }
                ServerOwner self = ServerOwner.current();
                self.writeTo(ownerFile);
                try {
                    return start(settings, self);
                } catch (IOException | SQLException | RuntimeException e) {
                    self.eraseFrom(ownerFile);
                    throw e;
                }
            }
        }
    }

    private static EmbeddedServer start(Settings settings, ServerOwner self) throws IOException, SQLException {
        Path directory = settings.dataDirectory();
        DatabaseCredentials credentials = DatabaseCredentials.loadOrCreate(DatabaseCredentials.fileFor(directory));
        Files.createDirectories(directory);
        boolean fresh = !Files.exists(directory.resolve("postgresql.conf"));
        boolean trusting = !fresh && trustsAnyConnection(directory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setConnectConfig("password", credentials.superuser())
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "200")
                .setServerConfig("timezone", "UTC")
                .setServerConfig("password_encryption", "scram-sha-256");
        // The library's defaults are for throw-away test databases (it passes -F, fsync off, and sets
        // synchronous_commit off); ours come after them on the server's command line and win.
        if (settings.durable()) {
            DURABILITY.forEach(builder::setServerConfig);
        } else {
            builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off");
        }
        if (settings.port() > 0) {
            builder.setPort(settings.port());
        }
        Path passwordFile = null;
        if (fresh) {
            // initdb gives the superuser its password; the library only lets us add "--name=value" options
            // through its locale settings, which is how this one gets there.
            passwordFile = Files.createTempFile(
                    directory.getParent(),
                    ".superuser-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, credentials.superuser() + "\n", StandardCharsets.UTF_8);
            builder.setLocaleConfig("pwfile", passwordFile.toString());
            // Replaces initdb's "trust" before the server ever accepts a connection.
            builder.setDataDirectoryCustomizer(data -> writePasswordForEveryConnection(data.toPath()));
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } finally {
            if (passwordFile != null) {
                Files.deleteIfExists(passwordFile);
            }
        }
        EmbeddedServer server = new EmbeddedServer(directory, postgres.getPort(), credentials, postgres, self);
        try {
            if (trusting) {
                server.requirePasswords();
            }
            server.prepareRolesAndDatabase();
            if (settings.durable()) {
                server.checkDurable();
            } else {
                log.warn("Embedded PostgreSQL is NOT durable (creneau.database.embedded.durable=false, for tests only):"
                        + " a crash may lose answered writes");
            }
        } catch (IOException | SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), directory);
        return server;
    }

    /**
     * A data directory from before passwords: its roles get theirs, then pg_hba.conf asks for them.
     * Done in this order, a crash in between leaves "trust" in place and the next start does it again.
     */
    private void requirePasswords() throws SQLException, IOException {
        log.info("Moving the embedded PostgreSQL in {} from trust to password authentication", dataDirectory);
        try (Connection c = superuser().getConnection();
                Statement s = c.createStatement()) {
            setPassword(c, DatabaseCredentials.SUPERUSER);
            for (String role : List.of(EmbeddedDatabase.OWNER, EmbeddedDatabase.APP)) {
                if (roleExists(s, role)) {
                    setPassword(c, role);
                }
            }
            writePasswordForEveryConnection(dataDirectory);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private void prepareRolesAndDatabase() throws SQLException {
        try (Connection c = superuser().getConnection();
                Statement s = c.createStatement()) {
            if (!roleExists(s, EmbeddedDatabase.OWNER)) {
                s.execute("CREATE ROLE " + EmbeddedDatabase.OWNER + " LOGIN");
                setPassword(c, EmbeddedDatabase.OWNER);
            }
            if (!roleExists(s, EmbeddedDatabase.APP)) {
                s.execute("CREATE ROLE " + EmbeddedDatabase.APP
                        + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
                setPassword(c, EmbeddedDatabase.APP);
            }
            try (ResultSet rs =
                    s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + EmbeddedDatabase.DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + EmbeddedDatabase.DATABASE + " OWNER " + EmbeddedDatabase.OWNER);
                }
            }
        }
    }

    /**
     * Reads the settings back as the application's role sees them in its database, so that a
     * setting on the role or the database that weakens them is caught too.
     */
    private void checkDurable() throws SQLException {
        Map<String, String> actual = new LinkedHashMap<>();
        try (Connection c = dataSource(EmbeddedDatabase.APP, EmbeddedDatabase.DATABASE)
                        .getConnection();
                Statement s = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    actual.put(setting, rs.getString(1));
                }
            }
        }
        if (!actual.values().stream().allMatch("on"::equals)) {
            throw new IllegalStateException("The embedded PostgreSQL is not durable: " + actual);
        }
        log.info(
                "Embedded PostgreSQL is durable: fsync={}, synchronous_commit={}, full_page_writes={}",
                actual.get("fsync"),
                actual.get("synchronous_commit"),
                actual.get("full_page_writes"));
    }

    private static boolean roleExists(Statement s, String role) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            return rs.next();
        }
    }

    /** Hashed here (SCRAM) and sent as a hash: the password itself never reaches the server's logs. */
    private void setPassword(Connection c, String role) throws SQLException {
        c.unwrap(PGConnection.class)
                .alterUserPassword(role, credentials.passwordOf(role).toCharArray(), "scram-sha-256");
    }

    private static boolean trustsAnyConnection(Path directory) throws IOException {
        Path hba = directory.resolve("pg_hba.conf");
        return Files.exists(hba)
                && Files.readAllLines(hba).stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .anyMatch(line -> List.of(line.split("\\s+")).contains("trust"));
    }

    private static void writePasswordForEveryConnection(Path directory) {
        try {
            Path aside = directory.resolve("pg_hba.conf.new");
            Files.writeString(aside, PASSWORD_FOR_EVERY_CONNECTION, StandardCharsets.UTF_8);
            Files.move(
                    aside,
                    directory.resolve("pg_hba.conf"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write pg_hba.conf in " + directory, e);
        }
    }

    /** The port the server listens on (localhost only). */
    public int port() {
        return port;
    }

    /** The password of one of the server's roles ({@code postgres}, the owner, the application's). */
    public String password(String role) {
        return credentials.passwordOf(role);
    }

    /** A connection source for {@code role} on {@code database}, with its password. */
    public DataSource dataSource(String role, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(role);
        ds.setPassword(credentials.passwordOf(role));
        return ds;
    }

    /** The server's superuser on its maintenance database: for tests and tools, never the application. */
    public DataSource superuser() {
        return dataSource(DatabaseCredentials.SUPERUSER, "postgres");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + EmbeddedDatabase.DATABASE;
    }

    /** Stops the server if this process started it; a shared one is left to its owner. */
    @Override
    public void close() throws IOException {
        if (started != null) {
            started.close();
            owner.eraseFrom(ServerOwner.fileFor(dataDirectory));
        }
    }
}
