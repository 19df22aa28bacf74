package org.creneau.platform;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads a time given in a request: an ISO-8601 date-time with offset ({@code 2026-03-29T09:00:00+02:00},
 * {@code ...Z}), or a date, read as the start of that day in the given zone. Every time a request
 * gives lies between {@link #EARLIEST} and {@link #LATEST}: arithmetic on it (a default span, a
 * day's end) and the database's timestamps then never overflow.
 */
public final class TimeParameter {

    /** The first instant a request may name: 1 January 1900, UTC. */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    /** The first instant a request may no longer name: 1 January 10000, UTC (so all of 9999 is accepted). */
    public static final Instant LATEST =
            LocalDate.of(10_000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private static final String RANGE = "must be between the years 1900 and 9999";

    private TimeParameter() {}

    public static Instant parse(String field, String value, ZoneId dayZone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant parsed;
        try {
            if (value.length() == 10) {
                parsed = LocalDate.parse(value).atStartOfDay(dayZone).toInstant();
            } else {
                parsed = OffsetDateTime.parse(value).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an ISO-8601 date or date-time with offset");
        } catch (DateTimeException e) {
            // Parsed, but beyond what an instant holds (e.g. year +999999999 with a negative offset).
            throw new InvalidInputException(field, RANGE);
        }
        return requireInRange(field, parsed);
    }

    /** {@code value} itself, or a 400 naming {@code field} when it lies outside the years 1900 to 9999. */
    public static Instant requireInRange(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || !value.isBefore(LATEST))) {
            throw new InvalidInputException(field, RANGE);
        }
        return value;
    }

    /** True for a date a request may name: in the years 1900 to 9999. */
    public static boolean inRange(LocalDate date) {
        return date.getYear() >= 1900 && date.getYear() <= 9999;
    }

    /**
     * The window a request asks for with {@code from} and {@code to}: {@code defaultStart} when
     * {@code from} is absent, {@code defaultSpan} after the start when {@code to} is absent, and no
     * longer than {@code maxDays} (else a 400 naming {@code to}).
     */
    public static TimeWindow window(
            String from, String to, Instant defaultStart, Duration defaultSpan, int maxDays, ZoneId dayZone) {
        Instant start = parse("from", from, dayZone);
        Instant end = parse("to", to, dayZone);
        start = start != null ? start : defaultStart;
        end = end != null ? end : start.plus(defaultSpan);
        return TimeWindow.bounded(start, end, maxDays);
    }
}
