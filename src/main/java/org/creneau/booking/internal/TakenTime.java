package org.creneau.booking.internal;

import java.time.Duration;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.AppointmentEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells availability which time of an agenda every appointment change takes or frees, in the
 * transaction that makes it, so that this node stops serving what it kept of those days.
 */
@Component
class TakenTime {

    private final SlotFinder slots;

    TakenTime(SlotFinder slots) {
        this.slots = slots;
    }

    @EventListener
    void changed(AppointmentEvent event) {
        slots.timeChanged(event.practitionerId(), event.start(), event.end());
        if (event.previousStart() != null) {
            Duration length = Duration.between(event.start(), event.end());
            slots.timeChanged(
                    event.practitionerId(),
                    event.previousStart(),
                    event.previousStart().plus(length));
        }
    }
}
