package org.creneau.platform;

import java.time.Duration;
import java.time.Instant;

/** A bounded half-open time window [from, to), validated once at the edge. */
public record TimeWindow(Instant from, Instant to) {

    public TimeWindow {
        if (from == null) {
            throw new InvalidInputException("from", "is required");
        }
        if (to == null) {
            throw new InvalidInputException("to", "is required");
        }
        if (!to.isAfter(from)) {
            throw new InvalidInputException("to", "must be after from");
        }
    }

    /** A window no longer than {@code maxDays}, else a 400 naming {@code to}. */
    public static TimeWindow bounded(Instant from, Instant to, int maxDays) {
        TimeWindow window = new TimeWindow(from, to);
        if (Duration.between(from, to).compareTo(Duration.ofDays(maxDays)) > 0) {
            throw new InvalidInputException("to", "the window may span at most " + maxDays + " days");
        }
        return window;
    }

    public boolean overlaps(Instant start, Instant end) {
        return start.isBefore(to) && end.isAfter(from);
    }
}
