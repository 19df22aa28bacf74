package org.creneau.guard.internal;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The guard's defaults ({@code creneau.guard.*}) and the ceilings within which an organization's admin
 * may set each threshold of a grant ({@code creneau.guard.ceiling.*}). Documented in docs/security.md,
 * with the arithmetic that keeps the floor and the quotas consistent.
 *
 * @param requestsPerMinutePerAddress requests from one client address without a signed-in account or app
 * @param requestsPerMinutePerAccount requests of one signed-in account
 * @param requestsPerMinutePerApp requests of one connected app (all its tokens)
 * @param requestsPerMinutePerGrant requests of one connected app through one grant
 * @param unlimitedAddresses addresses the per-address limit does not apply to (monitoring probes), exact match
 * @param newPatientsPer10Minutes patients never shown before that a grant may reach in 10 minutes, while no
 *     baseline of its own (reading spread over several days) says more is normal
 * @param baselineFactor how far above the grant's own 10-minute average (days before the last one) is "far above"
 * @param baselineDays the distinct days of reading a baseline needs before it counts (else the floor alone)
 * @param refusalsPer10Minutes answers 404 or 403 to one grant in 10 minutes before it counts as enumeration
 * @param unseenReadsPerHour reads by id of records never shown to the grant, per hour
 * @param searchWindowsPerHour different date windows searched by one grant in an hour
 * @param searchesPer10Minutes searches (pages included) by one grant in 10 minutes
 * @param distantPastDays an appointment that started more than this many days ago lies in the distant past
 * @param distantPastPerDay distinct appointments of the distant past shown to one grant in a day
 * @param patientSharePercent share of the practice's patient file shown to one grant in a day
 * @param patientShareMinimum patients shown in a day below which the share is not judged (small practices)
 * @param throttledPerDay refusals by a quota or the grant's rate limit in a day that contain the grant
 * @param appNewPatientsPer10Minutes patients never shown before, across all the app's grants, in 10 minutes
 * @param securityContact the platform's security contact, emailed on every alert and limits change (none when blank)
 */
@ConfigurationProperties("creneau.guard")
public record GuardSettings(
        int requestsPerMinutePerAddress,
        int requestsPerMinutePerAccount,
        int requestsPerMinutePerApp,
        int requestsPerMinutePerGrant,
        List<String> unlimitedAddresses,
        int newPatientsPer10Minutes,
        int baselineFactor,
        int baselineDays,
        int patientsPerHour,
        int patientsPerDay,
        int appointmentsPerHour,
        int appointmentsPerDay,
        int refusalsPer10Minutes,
        int unseenReadsPerHour,
        int searchWindowsPerHour,
        int searchesPer10Minutes,
        int distantPastDays,
        int distantPastPerDay,
        int patientSharePercent,
        int patientShareMinimum,
        int throttledPerDay,
        int appNewPatientsPer10Minutes,
        int appPatientsPerHour,
        int appPatientsPerDay,
        int appAppointmentsPerHour,
        int appAppointmentsPerDay,
        Ceiling ceiling,
        String securityContact) {

    public GuardSettings {
        requestsPerMinutePerAddress = orDefault(requestsPerMinutePerAddress, 600);
        requestsPerMinutePerAccount = orDefault(requestsPerMinutePerAccount, 600);
        requestsPerMinutePerApp = orDefault(requestsPerMinutePerApp, 1200);
        requestsPerMinutePerGrant = orDefault(requestsPerMinutePerGrant, 1200);
        unlimitedAddresses = unlimitedAddresses == null ? List.of() : List.copyOf(unlimitedAddresses);
        newPatientsPer10Minutes = orDefault(newPatientsPer10Minutes, 100);
        baselineFactor = orDefault(baselineFactor, 3);
        baselineDays = orDefault(baselineDays, 3);
        patientsPerHour = orDefault(patientsPerHour, 150);
        patientsPerDay = orDefault(patientsPerDay, 300);
        appointmentsPerHour = orDefault(appointmentsPerHour, 300);
        appointmentsPerDay = orDefault(appointmentsPerDay, 600);
        refusalsPer10Minutes = orDefault(refusalsPer10Minutes, 20);
        unseenReadsPerHour = orDefault(unseenReadsPerHour, 10);
        searchWindowsPerHour = orDefault(searchWindowsPerHour, 8);
        searchesPer10Minutes = orDefault(searchesPer10Minutes, 40);
        distantPastDays = orDefault(distantPastDays, 31);
        distantPastPerDay = orDefault(distantPastPerDay, 60);
        patientSharePercent = orDefault(patientSharePercent, 20);
        patientShareMinimum = orDefault(patientShareMinimum, 60);
        throttledPerDay = orDefault(throttledPerDay, 3);
        appNewPatientsPer10Minutes = orDefault(appNewPatientsPer10Minutes, 150);
        appPatientsPerHour = orDefault(appPatientsPerHour, 180);
        appPatientsPerDay = orDefault(appPatientsPerDay, 400);
        appAppointmentsPerHour = orDefault(appAppointmentsPerHour, 360);
        appAppointmentsPerDay = orDefault(appAppointmentsPerDay, 800);
        ceiling = ceiling == null ? new Ceiling(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : ceiling;
        securityContact = securityContact == null ? "" : securityContact.trim();
    }

    /**
     * The largest value an organization's admin may give each threshold of a grant ({@code
     * creneau.guard.ceiling.*}): above it the limits API answers 422 naming the field.
     */
    public record Ceiling(
            int requestsPerMinute,
            int newPatientsPer10Minutes,
            int patientsPerHour,
            int patientsPerDay,
            int appointmentsPerHour,
            int appointmentsPerDay,
            int searchesPer10Minutes,
            int searchWindowsPerHour,
            int unseenReadsPerHour,
            int refusalsPer10Minutes,
            int distantPastPerDay,
            int patientSharePercent) {

        public Ceiling {
            requestsPerMinute = orDefault(requestsPerMinute, 1200);
            newPatientsPer10Minutes = orDefault(newPatientsPer10Minutes, 5000);
            patientsPerHour = orDefault(patientsPerHour, 20000);
            patientsPerDay = orDefault(patientsPerDay, 50000);
            appointmentsPerHour = orDefault(appointmentsPerHour, 40000);
            appointmentsPerDay = orDefault(appointmentsPerDay, 100000);
            searchesPer10Minutes = orDefault(searchesPer10Minutes, 400);
            searchWindowsPerHour = orDefault(searchWindowsPerHour, 100);
            unseenReadsPerHour = orDefault(unseenReadsPerHour, 500);
            refusalsPer10Minutes = orDefault(refusalsPer10Minutes, 200);
            distantPastPerDay = orDefault(distantPastPerDay, 100000);
            patientSharePercent = orDefault(patientSharePercent, 100);
        }
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
