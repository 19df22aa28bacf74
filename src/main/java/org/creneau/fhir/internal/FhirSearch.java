package org.creneau.fhir.internal;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.UUID;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.TimeParameter;
import org.creneau.platform.TimeWindow;

/**
 * The rules every FHIR search shares: one page size cap, one reading of a date window, one way to
 * match {@code _id} and references.
 */
final class FhirSearch {

    private FhirSearch() {}

    /**
     * The page size asked for: 400 when negative, else at most {@link FhirAppointments#MAX_COUNT}.
     * {@code _count=0} asks for the total alone (FHIR R4 search: as {@code _summary=count}): the
     * search reads up to the cap and HAPI answers the total with no entry.
     */
    static int limit(Integer count) {
        if (count != null && count < 0) {
            throw new InvalidRequestException("_count must be 0 or more");
        }
        return count == null || count == 0 ? FhirAppointments.MAX_COUNT : Math.min(count, FhirAppointments.MAX_COUNT);
    }

    /**
     * The half-open window [from, to) a search parameter asks for, with both bounds, at most
     * {@code maxDays} long, within the years 1900 to 9999. A bound given as a date (or a month, a
     * year) means that period in {@code zone}, the zone dates are read in everywhere: {@code ge} and
     * {@code eq} its start, {@code gt} and {@code le} its end, {@code lt} its start; so
     * {@code ge2026-11-22&lt2026-12-22} is 30 days. (HAPI's own bounds widen a date to every time zone
     * on earth, which made a 30-day window of dates longer than 31 days.) A bound with a time is the
     * instant HAPI reads.
     */
    static TimeWindow window(DateRangeParam range, String name, ZoneId zone, int maxDays) {
        if (range == null
                || range.getLowerBound() == null
                || range.getUpperBound() == null
                || range.getLowerBound().getValue() == null
                || range.getUpperBound().getValue() == null) {
            throw new InvalidRequestException(name + " needs a lower and an upper bound (ge and lt)");
        }
        Instant from = bound(range.getLowerBound(), true, zone, range.getLowerBoundAsInstant());
        Instant to = bound(range.getUpperBound(), false, zone, range.getUpperBoundAsInstant());
        try {
            TimeParameter.requireInRange(name, from);
            TimeParameter.requireInRange(name, to);
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(name + " " + e.getMessage());
        }
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(Duration.ofDays(maxDays)) > 0) {
            throw new InvalidRequestException("the " + name + " window must span at most " + maxDays + " days");
        }
        return new TimeWindow(from, to);
    }

    private static Instant bound(DateParam param, boolean lower, ZoneId zone, Date hapiBound) {
        if (param.getPrecision() == null || param.getPrecision().ordinal() > TemporalPrecisionEnum.DAY.ordinal()) {
            return hapiBound.toInstant();
        }
        LocalDate start;
        LocalDate end;
        String text = param.getValueAsString();
        try {
            switch (param.getPrecision()) {
                case YEAR -> {
                    start = Year.parse(text).atDay(1);
                    end = start.plusYears(1);
                }
                case MONTH -> {
                    start = YearMonth.parse(text).atDay(1);
                    end = start.plusMonths(1);
                }
                default -> {
                    start = LocalDate.parse(text);
                    end = start.plusDays(1);
                }
            }
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("invalid date: " + text);
        }
        ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
        boolean atEnd = switch (prefix) {
            case GREATERTHAN, STARTS_AFTER, LESSTHAN_OR_EQUALS -> true;
            case LESSTHAN, ENDS_BEFORE, GREATERTHAN_OR_EQUALS -> false;
            default -> !lower;
        };
        return (atEnd ? end : start).atStartOfDay(zone).toInstant();
    }

    /** True when no {@code _id} was asked, or it names {@code id}. */
    static boolean matches(TokenParam wanted, UUID id) {
        return wanted == null || id.toString().equals(wanted.getValue());
    }

    /** True when no reference was asked, or it points at {@code id} (e.g. {@code Practitioner/{id}}). */
    static boolean matches(ReferenceParam wanted, UUID id) {
        return wanted == null || id.toString().equals(wanted.getIdPart());
    }
}
