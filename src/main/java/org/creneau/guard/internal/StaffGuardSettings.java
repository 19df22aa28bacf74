package org.creneau.guard.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The guard's limits per staff account ({@code creneau.guard.staff.*}), documented in docs/security.md.
 *
 * @param patientsPerHour distinct patients shown to one account in the last hour (search results, file
 *     entries, the patients of the agendas it read) at which it is contained
 * @param patientsPerDay distinct patients shown to one account in the last 24 hours beyond which an answer
 *     showing new ones is withheld (429)
 * @param shortSearchesPer10Minutes different name prefixes of at most {@code shortPrefixLetters} letters
 *     searched in 10 minutes at which the account is contained
 * @param shortPrefixLetters how many letters a name criterion has at most to count as a short prefix
 * @param farDaysPerHour different days far from today whose appointments the account was shown in an hour
 *     at which it is contained
 * @param farPastDays how many days back a day is far
 * @param farAheadDays how many days ahead a day is far
 */
@ConfigurationProperties("creneau.guard.staff")
record StaffGuardSettings(
        int patientsPerHour,
        int patientsPerDay,
        int shortSearchesPer10Minutes,
        int shortPrefixLetters,
        int farDaysPerHour,
        int farPastDays,
        int farAheadDays) {

    StaffGuardSettings {
        patientsPerHour = orDefault(patientsPerHour, 150);
        patientsPerDay = orDefault(patientsPerDay, 600);
        shortSearchesPer10Minutes = orDefault(shortSearchesPer10Minutes, 15);
        shortPrefixLetters = orDefault(shortPrefixLetters, 3);
        farDaysPerHour = orDefault(farDaysPerHour, 20);
        farPastDays = orDefault(farPastDays, 45);
        farAheadDays = orDefault(farAheadDays, 200);
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
