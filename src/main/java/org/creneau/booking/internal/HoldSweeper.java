package org.creneau.booking.internal;

import java.time.Clock;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Releases holds that were never confirmed, so their slots come back. */
@Component
class HoldSweeper {

    private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);

    private final AppointmentRepository repository;
    private final Waitlist waitlist;
    private final TenantScope scope;
    private final Clock clock;

    HoldSweeper(AppointmentRepository repository, Waitlist waitlist, TenantScope scope, Clock clock) {
        this.repository = repository;
        this.waitlist = waitlist;
        this.scope = scope;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${creneau.booking.sweep-interval:PT30S}")
    int releaseExpiredHolds() {
        waitlist.expireOffers();
        int released = scope.write(Caller.ANONYMOUS, () -> repository.releaseExpiredHolds(null, clock.instant()));
        if (released > 0) {
            log.info("Released {} expired holds", released);
        }
        return released;
    }
}
