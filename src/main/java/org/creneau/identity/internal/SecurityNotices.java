package org.creneau.identity.internal;

import java.time.Clock;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.SecurityNotice;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Publishes a {@link SecurityNotice} in a transaction of its own, so the event publication registry
 * keeps it until the notifications module has queued the email.
 */
@Component
class SecurityNotices {

    private final TenantScope scope;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SecurityNotices(TenantScope scope, ApplicationEventPublisher events, Clock clock) {
        this.scope = scope;
        this.events = events;
        this.clock = clock;
    }

    void tell(UUID accountId, SecurityNotice.Kind kind) {
        scope.write(
                new Caller.AccountOwner(accountId),
                () -> events.publishEvent(new SecurityNotice(accountId, kind, clock.instant())));
    }
}
