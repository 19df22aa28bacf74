package org.creneau.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Reads a time given in a request: an ISO-8601 date-time with offset ({@code 2026-03-29T09:00:00+02:00},
 * {@code ...Z}), or a date, read as the start of that day in the given zone.
 */
public final class TimeParameter {

    private TimeParameter() {}

    public static Instant parse(String field, String value, ZoneId dayZone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(dayZone).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an ISO-8601 date or date-time with offset");
        }
    }

    /**
     * The window a request asks for with {@code from} and {@code to}: {@code defaultStart} when
     * {@code from} is absent, {@code defaultSpan} after the start when {@code to} is absent, and no
     * longer than {@code maxDays} (else a 400 naming {@code to}).
     */
    public static TimeWindow window(
            String from, String to, Instant defaultStart, java.time.Duration defaultSpan, int maxDays, ZoneId dayZone) {
        Instant start = parse("from", from, dayZone);
        Instant end = parse("to", to, dayZone);
        start = start != null ? start : defaultStart;
        end = end != null ? end : start.plus(defaultSpan);
        return TimeWindow.bounded(start, end, maxDays);
    }
}
