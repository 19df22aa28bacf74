package org.creneau.bench;

import jakarta.servlet.Filter;
import org.creneau.guard.AppGuard;
import org.creneau.guard.NoOpAppGuard;
import org.creneau.journal.Journal;
import org.creneau.journal.NoOpJournal;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Given only to the benchmark's OFF context (with {@code spring.main.allow-bean-definition-overriding=true}):
 * replaces the journal and the guard by no-ops and leaves the rate-limit filter unregistered, by
 * overriding those three beans by name. Everything else is the application as shipped. A test
 * configuration, so that component scanning of any context never picks it up; production code has
 * no switch for this. Each override can be left out ({@code bench.off.*=false}, from
 * {@code -Dbench.fhirOff}) to tell which part costs what.
 */
@TestConfiguration(proxyBeanMethods = false)
class JournalAndGuardOff {

    @Bean
    @ConditionalOnProperty(name = "bench.off.journal", havingValue = "true")
    Journal journal() {
        return new NoOpJournal();
    }

    @Bean
    @ConditionalOnProperty(name = "bench.off.guard", havingValue = "true")
    AppGuard appGuard() {
        return new NoOpAppGuard();
    }

    /** Same name as the guard's registration of its filter: a disabled registration is never added. */
    @Bean
    @ConditionalOnProperty(name = "bench.off.rateLimit", havingValue = "true")
    FilterRegistrationBean<Filter> rateLimitFilter() {
        FilterRegistrationBean<Filter> registration =
                new FilterRegistrationBean<>((request, response, chain) -> chain.doFilter(request, response));
        registration.setEnabled(false);
        return registration;
    }
}
