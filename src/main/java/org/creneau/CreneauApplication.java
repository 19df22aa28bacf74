package org.creneau;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Créneau: medical appointment booking, with an API that cannot be quietly emptied. */
@SpringBootApplication
@EnableAsync
public class CreneauApplication {

    public static void main(String[] args) {
        if (CommandLine.handles(args)) {
            System.exit(CommandLine.run(args, System.out));
        }
        SpringApplication.run(CreneauApplication.class, args);
    }

    /** Scheduled work (hold expiry, journal checkpoints); off while a command runs. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(name = "creneau.scheduling.enabled", havingValue = "true", matchIfMissing = true)
    static class Scheduling {}
}
