package org.creneau.guard;

import java.time.LocalTime;
import java.time.ZoneId;

/**
 * What an organization's admin set on a grant; each null value falls back to the platform's
 * default ({@code creneau.guard.*}).
 *
 * @param newPatientsPer10Minutes distinct patients never shown before that the app may reach in 10 minutes
 *     before its own baseline says more is normal
 * @param allowedFrom with {@code allowedTo} and {@code timeZone}: the hours the grant allows, or all null
 */
public record GrantLimits(
        Integer newPatientsPer10Minutes,
        Integer patientsPerHour,
        Integer patientsPerDay,
        Integer appointmentsPerHour,
        Integer appointmentsPerDay,
        LocalTime allowedFrom,
        LocalTime allowedTo,
        ZoneId timeZone) {

    public static final GrantLimits DEFAULTS = new GrantLimits(null, null, null, null, null, null, null, null);

    public GrantLimits {
        if ((allowedFrom == null) != (allowedTo == null) || (allowedFrom == null) != (timeZone == null)) {
            throw new IllegalArgumentException("allowed hours need a start, an end and a time zone");
        }
    }

    /** True when the grant names hours and {@code time} (in its zone) is outside them. */
    public boolean outsideHours(java.time.Instant time) {
        if (allowedFrom == null) {
            return false;
        }
        LocalTime local = time.atZone(timeZone).toLocalTime();
        boolean within = allowedFrom.isBefore(allowedTo)
                ? !local.isBefore(allowedFrom) && local.isBefore(allowedTo)
                : !local.isBefore(allowedFrom) || local.isBefore(allowedTo);
        return !within;
    }
}
