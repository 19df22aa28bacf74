package org.creneau.observability.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.creneau.booking.AppointmentEvent;
import org.creneau.guard.ContainmentOrdered;
import org.creneau.guard.Signal;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts appointments' events by kind and the guard's containments by signal, once their transaction
 * has committed (a rolled-back booking is not counted). Every counter exists from the start at zero,
 * so that a dashboard shows a flat line rather than no data.
 */
@Component
class DomainMetrics {

    private final Map<AppointmentEvent.Kind, Counter> appointments = new EnumMap<>(AppointmentEvent.Kind.class);
    private final Map<Signal, Counter> containments = new EnumMap<>(Signal.class);

    DomainMetrics(MeterRegistry registry) {
        for (AppointmentEvent.Kind kind : AppointmentEvent.Kind.values()) {
            appointments.put(
                    kind,
                    Counter.builder("creneau.appointment.events")
                            .description("Appointments held, booked, cancelled, moved, marked")
                            .tag("kind", tag(kind))
                            .register(registry));
        }
        for (Signal signal : Signal.values()) {
            containments.put(
                    signal,
                    Counter.builder("creneau.guard.containments")
                            .description("Connected apps contained by the guard")
                            .tag("signal", tag(signal))
                            .register(registry));
        }
    }

    @EventListener
    void on(AppointmentEvent event) {
        afterCommit(appointments.get(event.kind()));
    }

    @EventListener
    void on(ContainmentOrdered event) {
        afterCommit(containments.get(event.signal()));
    }

    private static void afterCommit(Counter counter) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    counter.increment();
                }
            });
        } else {
            counter.increment();
        }
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
