package org.creneau.notifications.internal;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands this module's listeners again the events they did not finish (the node died, the database
 * refused, a recipient could not be read), at start and then on a schedule: the event publication
 * registry kept them. Running a listener twice adds no message, the outbox keeps one per event,
 * recipient, channel and kind. Other modules' listeners are left to their owners.
 */
@Component
class ListenerResubmission {

    private static final String OWN_LISTENERS = "org.creneau.notifications.";

    private final IncompleteEventPublications incomplete;
    private final Duration minAge;

    ListenerResubmission(
            IncompleteEventPublications incomplete, @Value("${creneau.messages.resubmit-after:PT1M}") Duration minAge) {
        this.incomplete = incomplete;
        this.minAge = minAge;
    }

    /** Older than {@code resubmit-after}, so a listener still running on some node is left to finish. */
    @Scheduled(
            initialDelayString = "${creneau.messages.resubmit-interval:PT1M}",
            fixedDelayString = "${creneau.messages.resubmit-interval:PT1M}")
    void resubmit() {
        incomplete.resubmitIncompletePublications(
                ResubmissionOptions.defaults().withMinAge(minAge).withFilter(ListenerResubmission::ours));
    }

    static boolean ours(EventPublication publication) {
        return publication instanceof TargetEventPublication target
                && target.getTargetIdentifier().getValue().startsWith(OWN_LISTENERS);
    }
}
