package org.creneau.support;

import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

@org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
public class TestConfiguration {

    static {
        // The journal's checkpoints must match the database, which every test run starts afresh.
        org.springframework.util.FileSystemUtils.deleteRecursively(
                java.nio.file.Path.of("target/test-journal").toFile());
    }

    /** Monday 4 January 2027, 06:00 UTC (07:00 in Paris): before opening hours. */
    public static final Instant MONDAY_MORNING = Instant.parse("2027-01-04T06:00:00Z");

    private static volatile MutableClock clock;

    /** The application's clock, for helpers that compute second-factor codes. */
    public static MutableClock clock() {
        return clock;
    }

    @Bean
    @Primary
    MutableClock mutableClock() {
        clock = new MutableClock(MONDAY_MORNING);
        return clock;
    }

    /** A real SMTP server on a free port; the application sends its mail there. */
    @Bean(destroyMethod = "stop")
    com.icegreen.greenmail.util.GreenMail greenMail() {
        var greenMail = new com.icegreen.greenmail.util.GreenMail(
                com.icegreen.greenmail.util.ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        return greenMail;
    }

    @Bean
    org.springframework.mail.javamail.JavaMailSender mailSender(com.icegreen.greenmail.util.GreenMail greenMail) {
        var sender = new org.springframework.mail.javamail.JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(greenMail.getSmtp().getPort());
        return sender;
    }

    /** Counts the statements an operation sends, for the round-trip tests. */
    @Bean
    static StatementCounter statementCounter() {
        return new StatementCounter();
    }

    /** Before everything else, so that a counted request's security and rate limit are counted too. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> requestStatementCounter() {
        var registration =
                new org.springframework.boot.web.servlet.FilterRegistrationBean<>(StatementCounter.requestFilter());
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    RecordedEvents recordedEvents() {
        return new RecordedEvents();
    }

    @Bean
    Fixtures fixtures(
            org.creneau.access.TenantScope scope,
            org.creneau.directory.DirectoryAdministration directory,
            org.creneau.availability.AgendaSettings agendas,
            org.creneau.identity.Accounts accounts,
            org.creneau.access.AgendaRights rights) {
        return new Fixtures(scope, directory, agendas, accounts, rights);
    }
}
