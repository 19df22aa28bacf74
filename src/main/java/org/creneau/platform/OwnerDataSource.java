package org.creneau.platform;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database owner's connection, for the jar's commands that read what the application's role may
 * not (the journal, the history across organizations): the embedded database's owner, or
 * {@code spring.flyway.user} with an external one.
 */
public final class OwnerDataSource {

    private OwnerDataSource() {}

    /** {@code embeddedOwner}: the {@code ownerDataSource} bean, present with the embedded database only. */
    public static DataSource of(ObjectProvider<DataSource> embeddedOwner, Environment environment) {
        DataSource embedded = embeddedOwner.getIfAvailable();
        if (embedded != null) {
            return embedded;
        }
        String url = environment.getProperty("spring.flyway.url", environment.getProperty("spring.datasource.url"));
        return new DriverManagerDataSource(
                url,
                environment.getProperty("spring.flyway.user", environment.getProperty("spring.datasource.username")),
                environment.getProperty(
                        "spring.flyway.password", environment.getProperty("spring.datasource.password")));
    }
}
