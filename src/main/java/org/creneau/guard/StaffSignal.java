package org.creneau.guard;

/** Why the guard contained a staff account (an insider sweep); the apps' signals are {@link Signal}. */
public enum StaffSignal {
    /** Too many distinct patients shown to the account in an hour (searches, entries, agendas). */
    STAFF_VELOCITY,
    /** Too many different short name prefixes searched in 10 minutes: the file paged through "aa", "ab"... */
    STAFF_SHORT_SEARCHES,
    /** Too many agenda days far from today read in an hour: the history or the far future swept. */
    STAFF_FAR_READS
}
