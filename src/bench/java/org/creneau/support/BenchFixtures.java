package org.creneau.support;

import org.creneau.access.AgendaRights;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.identity.Accounts;
import org.springframework.context.ApplicationContext;

/**
 * The tests' {@link Fixtures} over a context the benchmark started itself, where the tests'
 * configuration (which would also freeze the clock) is not loaded. In this package to reach the
 * package-private constructor.
 */
public final class BenchFixtures {

    private BenchFixtures() {}

    public static Fixtures of(ApplicationContext app) {
        return new Fixtures(
                app.getBean(TenantScope.class),
                app.getBean(DirectoryAdministration.class),
                app.getBean(AgendaSettings.class),
                app.getBean(Accounts.class),
                app.getBean(AgendaRights.class));
    }
}
