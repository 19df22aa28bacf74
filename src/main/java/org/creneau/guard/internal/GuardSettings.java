package org.creneau.guard.internal;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The guard's defaults ({@code creneau.guard.*}); an organization's admin may set a grant's own
 * quotas, velocity threshold and hours. Documented in docs/security.md.
 *
 * @param requestsPerMinutePerAddress requests from one client address without a signed-in account or app
 * @param requestsPerMinutePerAccount requests of one signed-in account
 * @param requestsPerMinutePerApp requests of one connected app (all its tokens)
 * @param unlimitedAddresses addresses the per-address limit does not apply to (monitoring probes), exact match
 * @param newPatientsPer10Minutes patients never shown before that a grant may reach in 10 minutes, while its
 *     own baseline is lower
 * @param baselineFactor how far above the grant's own 10-minute average (last 7 days) is "far above"
 * @param refusalsPer10Minutes answers 404 or 403 to one grant in 10 minutes before it counts as enumeration
 * @param unseenReadsPerHour reads by id of records never shown to the grant, per hour
 * @param searchWindowsPerHour different date windows searched by one grant in an hour
 * @param searchesPer10Minutes searches (pages included) by one grant in 10 minutes
 * @param securityContact the platform's security contact, emailed on every containment (none when blank)
 */
@ConfigurationProperties("creneau.guard")
public record GuardSettings(
        int requestsPerMinutePerAddress,
        int requestsPerMinutePerAccount,
        int requestsPerMinutePerApp,
        List<String> unlimitedAddresses,
        int newPatientsPer10Minutes,
        int baselineFactor,
        int patientsPerHour,
        int patientsPerDay,
        int appointmentsPerHour,
        int appointmentsPerDay,
        int refusalsPer10Minutes,
        int unseenReadsPerHour,
        int searchWindowsPerHour,
        int searchesPer10Minutes,
        String securityContact) {

    public GuardSettings {
        requestsPerMinutePerAddress = orDefault(requestsPerMinutePerAddress, 600);
        requestsPerMinutePerAccount = orDefault(requestsPerMinutePerAccount, 600);
        requestsPerMinutePerApp = orDefault(requestsPerMinutePerApp, 1200);
        unlimitedAddresses = unlimitedAddresses == null ? List.of() : List.copyOf(unlimitedAddresses);
        newPatientsPer10Minutes = orDefault(newPatientsPer10Minutes, 150);
        baselineFactor = orDefault(baselineFactor, 3);
        patientsPerHour = orDefault(patientsPerHour, 500);
        patientsPerDay = orDefault(patientsPerDay, 2000);
        appointmentsPerHour = orDefault(appointmentsPerHour, 1000);
        appointmentsPerDay = orDefault(appointmentsPerDay, 4000);
        refusalsPer10Minutes = orDefault(refusalsPer10Minutes, 20);
        unseenReadsPerHour = orDefault(unseenReadsPerHour, 10);
        searchWindowsPerHour = orDefault(searchWindowsPerHour, 8);
        searchesPer10Minutes = orDefault(searchesPer10Minutes, 40);
        securityContact = securityContact == null ? "" : securityContact.trim();
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
