package org.creneau.guard;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an organization's admin set on a grant: every threshold of the guard, and the hours. Each null
 * value falls back to the platform's default ({@code creneau.guard.*}); a value set is the practice's
 * approved expectation, which also raises the app's own thresholds across its grants.
 *
 * @param newPatientsPer10Minutes distinct patients never shown before that the app may reach in 10 minutes
 *     before its own baseline (reading spread over several days) says more is normal
 * @param requestsPerMinute requests through this grant per minute
 * @param distantPastPerDay distinct appointments of the distant past shown in a day
 * @param patientSharePercent share of the practice's patient file shown in a day
 * @param allowedFrom with {@code allowedTo} and {@code timeZone}: the hours the grant allows, or all null
 */
public record GrantLimits(
        Integer newPatientsPer10Minutes,
        Integer patientsPerHour,
        Integer patientsPerDay,
        Integer appointmentsPerHour,
        Integer appointmentsPerDay,
        Integer requestsPerMinute,
        Integer searchesPer10Minutes,
        Integer searchWindowsPerHour,
        Integer unseenReadsPerHour,
        Integer refusalsPer10Minutes,
        Integer distantPastPerDay,
        Integer patientSharePercent,
        LocalTime allowedFrom,
        LocalTime allowedTo,
        ZoneId timeZone) {

    public static final GrantLimits DEFAULTS =
            new GrantLimits(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public GrantLimits {
        if ((allowedFrom == null) != (allowedTo == null) || (allowedFrom == null) != (timeZone == null)) {
            throw new IllegalArgumentException("allowed hours need a start, an end and a time zone");
        }
    }

    /** The thresholds by the names the limits API and the ceilings use; a null value is the default. */
    public Map<String, Integer> thresholds() {
        Map<String, Integer> all = new LinkedHashMap<>();
        all.put("newPatientsPer10Minutes", newPatientsPer10Minutes);
        all.put("patientsPerHour", patientsPerHour);
        all.put("patientsPerDay", patientsPerDay);
        all.put("appointmentsPerHour", appointmentsPerHour);
        all.put("appointmentsPerDay", appointmentsPerDay);
        all.put("requestsPerMinute", requestsPerMinute);
        all.put("searchesPer10Minutes", searchesPer10Minutes);
        all.put("searchWindowsPerHour", searchWindowsPerHour);
        all.put("unseenReadsPerHour", unseenReadsPerHour);
        all.put("refusalsPer10Minutes", refusalsPer10Minutes);
        all.put("distantPastPerDay", distantPastPerDay);
        all.put("patientSharePercent", patientSharePercent);
        return all;
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
