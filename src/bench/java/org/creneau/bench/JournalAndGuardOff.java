package org.creneau.bench;

import jakarta.servlet.Filter;
import org.creneau.guard.AppGuard;
import org.creneau.guard.NoOpAppGuard;
import org.creneau.journal.Journal;
import org.creneau.journal.NoOpJournal;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Given only to the benchmark's OFF context (with {@code spring.main.allow-bean-definition-overriding=true}):
 * replaces the journal and the guard by no-ops and leaves the rate-limit filter unregistered, by
 * overriding those three beans by name. Everything else is the application as shipped. A test
 * configuration, so that component scanning of any context never picks it up; production code has
 * no switch for this.
 */
@TestConfiguration(proxyBeanMethods = false)
class JournalAndGuardOff {

    @Bean
    Journal journal() {
        return new NoOpJournal();
    }

    @Bean
    AppGuard appGuard() {
        return new NoOpAppGuard();
    }

    /** Same name as the guard's registration of its filter: a disabled registration is never added. */
    @Bean
    FilterRegistrationBean<Filter> rateLimitFilter() {
        FilterRegistrationBean<Filter> registration =
                new FilterRegistrationBean<>((request, response, chain) -> chain.doFilter(request, response));
        registration.setEnabled(false);
        return registration;
    }
}
