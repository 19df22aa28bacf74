package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.creneau.CreneauApplication;
import org.creneau.support.ApiClient;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The README's way to run on an external PostgreSQL: SPRING_DATASOURCE_URL for the application
 * role, SPRING_FLYWAY_USER for the owner. A second application is started against another
 * database of the test server, as if it were an external one, and must work as the first does.
 */
@IntegrationTest
class ExternalDatabaseTests {

    @Autowired
    EmbeddedServer server;

    @Test
    void theApplicationRunsOnAnExternalDatabaseAsARoleThatOwnsNothingAndWithoutTheDemo() throws Exception {
        try (Connection c = server.superuser().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS creneau_external");
            s.execute("CREATE DATABASE creneau_external OWNER creneau_owner");
        }
        String url = "jdbc:postgresql://localhost:" + server.port() + "/creneau_external";
        try (ConfigurableApplicationContext external = SpringApplication.run(
                CreneauApplication.class,
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=creneau_app",
                "--spring.datasource.password=" + server.password("creneau_app"),
                "--spring.flyway.user=creneau_owner",
                "--spring.flyway.password=" + server.password("creneau_owner"),
                "--server.port=0",
                "--management.server.port=0",
                "--creneau.demo.enabled=true",
                "--creneau.booking.sweep-interval=PT1H")) {
            assertThat(external.getBeansOfType(EmbeddedServer.class)).isEmpty();
            JdbcTemplate jdbc = new JdbcTemplate(external.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("creneau_app");
            assertThat(jdbc.queryForObject("SELECT current_database()", String.class))
                    .isEqualTo("creneau_external");
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'creneau_owner'",
                            Long.class))
                    .isGreaterThan(10);
            int port = Integer.parseInt(external.getEnvironment().getProperty("local.server.port"));
            // Asked for, the demo is still not written there: its logins and password are public.
            assertThat(jdbc.queryForObject("SELECT count(*) FROM organization", Long.class))
                    .isZero();
            var found = new ApiClient(port).get("/api/v1/search?specialty=medecin-generaliste&city=Lyon");
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.body().path("items").size()).isZero();
            // It works as the embedded one does: an account is created and signs in.
            ApiClient patient = new ApiClient(port);
            patient.registerAndLogin("external-" + java.util.UUID.randomUUID() + "@test.creneau.fr");
            assertThat(patient.get("/api/v1/me").status()).isEqualTo(200);
        }
    }
}
