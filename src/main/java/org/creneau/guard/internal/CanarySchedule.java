package org.creneau.guard.internal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * When canary records are seeded: once the application is ready, after the demo data (whose
 * loader runs first), then every day, for organizations created since (the directory publishes
 * no event when one is created). Off, like all scheduled work, while a command runs.
 */
@Component
@ConditionalOnProperty(name = "creneau.scheduling.enabled", havingValue = "true", matchIfMissing = true)
class CanarySchedule {

    private final CanarySeeding seeding;

    CanarySchedule(CanarySeeding seeding) {
        this.seeding = seeding;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.LOWEST_PRECEDENCE)
    void atStartup() {
        seeding.seedAll();
    }

    @Scheduled(
            initialDelayString = "${creneau.guard.canary-interval:PT24H}",
            fixedDelayString = "${creneau.guard.canary-interval:PT24H}")
    void daily() {
        seeding.seedAll();
    }
}
