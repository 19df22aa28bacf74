package org.creneau.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Starts a real PostgreSQL server from the embedded binaries when no external database is
 * configured (see {@link EmbeddedServer}). Migrations run as the owner role; the application
 * connects as a role that owns no table and is not a superuser, so row-level security applies to it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoExternalDatabase.class)
class EmbeddedDatabase {

    static final String DATABASE = "creneau";
    static final String OWNER = "creneau_owner";
    static final String APP = "creneau_app";

    /**
     * The server of the data directory. Commands of the jar set
     * {@code creneau.database.embedded.share-running-server} to use the one a running application
     * already has; the application itself refuses to share.
     */
    @Bean(destroyMethod = "close")
    EmbeddedServer embeddedServer(
            @Value("${creneau.database.embedded.data-dir:data/postgres}") String dataDir,
            @Value("${creneau.database.embedded.port:0}") int port,
            @Value("${creneau.database.embedded.clean:false}") boolean clean,
            @Value("${creneau.database.embedded.share-running-server:false}") boolean share,
            @Value("${creneau.database.embedded.durable:true}") boolean durable)
            throws IOException, SQLException {
        return EmbeddedServer.startOrShare(new EmbeddedServer.Settings(Path.of(dataDir), port, clean, share, durable));
    }

    @Bean
    @Primary
    DataSource dataSource(EmbeddedServer server, @Value("${creneau.database.pool-size:20}") int poolSize) {
        return pool(server, APP, poolSize, "creneau-app");
    }

    @Bean
    @FlywayDataSource
    @Qualifier("ownerDataSource")
    DataSource ownerDataSource(EmbeddedServer server) {
        return pool(server, OWNER, 2, "creneau-owner");
    }

    private static HikariDataSource pool(EmbeddedServer server, String user, int size, String name) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(server.jdbcUrl());
        ds.setUsername(user);
        ds.setPassword(server.password(user));
        ds.setMaximumPoolSize(size);
        ds.setPoolName(name);
        return ds;
    }
}
