package org.creneau.notifications.internal;

import java.time.Duration;
import java.util.Arrays;
import org.creneau.platform.InvalidInputException;

/** How long before an appointment a reminder goes: the four choices an organization has. */
enum ReminderLead {
    DAYS_7("7d", Duration.ofDays(7)),
    HOURS_48("48h", Duration.ofHours(48)),
    HOURS_24("24h", Duration.ofHours(24)),
    HOURS_2("2h", Duration.ofHours(2));

    private final String label;
    private final Duration before;

    ReminderLead(String label, Duration before) {
        this.label = label;
        this.before = before;
    }

    Duration before() {
        return before;
    }

    String label() {
        return label;
    }

    static ReminderLead of(String label) {
        return Arrays.stream(values())
                .filter(l -> l.label.equals(label))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("leads", "must each be one of 7d, 48h, 24h, 2h"));
    }
}
