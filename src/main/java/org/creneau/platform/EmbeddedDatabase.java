package org.creneau.platform;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.util.FileSystemUtils;

/**
 * Starts a real PostgreSQL server from the embedded binaries when no external database is
 * configured. Migrations run as the owner role; the application connects as a role that owns no
 * table and is not a superuser, so row-level security applies to it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoExternalDatabase.class)
class EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String DATABASE = "creneau";
    static final String OWNER = "creneau_owner";
    static final String APP = "creneau_app";

    /** Where the embedded server listens: the one this process starts, or one already running there. */
    record ServerAddress(int port) {}

    @Bean
    ServerAddress embeddedServerAddress(
            org.springframework.beans.factory.ObjectProvider<EmbeddedPostgres> started,
            @Value("${creneau.database.embedded.data-dir:data/postgres}") String dataDir) {
        EmbeddedPostgres own = started.getIfAvailable();
        if (own != null) {
            return new ServerAddress(own.getPort());
        }
        RunningServer running = RunningServer.in(Path.of(dataDir).toAbsolutePath())
                .orElseThrow(() -> new IllegalStateException("the embedded PostgreSQL stopped"));
        log.info(
                "Using the embedded PostgreSQL already running on port {} (process {})", running.port(), running.pid());
        return new ServerAddress(running.port());
    }

    @Bean(destroyMethod = "close")
    @Conditional(NoRunningEmbeddedServer.class)
    EmbeddedPostgres embeddedPostgres(
            @Value("${creneau.database.embedded.data-dir:data/postgres}") String dataDir,
            @Value("${creneau.database.embedded.port:0}") int port,
            @Value("${creneau.database.embedded.clean:false}") boolean clean)
            throws IOException, SQLException {
        Path directory = Path.of(dataDir).toAbsolutePath();
        if (clean) {
            // Tests start from an empty database every run.
            FileSystemUtils.deleteRecursively(directory);
        }
        Files.createDirectories(directory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "200")
                .setServerConfig("timezone", "UTC");
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        prepareRolesAndDatabase(postgres);
        log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), directory);
        return postgres;
    }

    private static void prepareRolesAndDatabase(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + OWNER
                    + "') THEN CREATE ROLE " + OWNER + " LOGIN; END IF; END $$");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP
                    + "') THEN CREATE ROLE " + APP
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; END IF; END $$");
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
                }
            }
        }
    }

    @Bean
    @Primary
    DataSource dataSource(ServerAddress server, @Value("${creneau.database.pool-size:20}") int poolSize) {
        return pool(server, APP, poolSize, "creneau-app");
    }

    @Bean
    @FlywayDataSource
    @Qualifier("ownerDataSource")
    DataSource ownerDataSource(ServerAddress server) {
        return pool(server, OWNER, 2, "creneau-owner");
    }

    private static HikariDataSource pool(ServerAddress server, String user, int size, String name) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:postgresql://localhost:" + server.port() + "/" + DATABASE);
        ds.setUsername(user);
        ds.setMaximumPoolSize(size);
        ds.setPoolName(name);
        return ds;
    }
}
