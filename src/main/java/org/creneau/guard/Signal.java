package org.creneau.guard;

/** Why the guard contained an app. */
public enum Signal {
    /** Distinct records never shown before, read far faster than the app's own baseline. */
    VELOCITY(false),
    /** Many answers "not found" or "refused": identifiers being tried. */
    ENUMERATION(false),
    /** Many different date windows, or many pages, searched one after another. */
    SWEEP(false),
    /** Records read by identifier that the app was never shown, never booked, never notified of. */
    UNSEEN_RECORDS(false),
    /** Activity outside the hours the grant allows. */
    OFF_HOURS(false),
    /** A decoy record that no legitimate flow returns was read. */
    CANARY(true);

    private final boolean severe;

    Signal(boolean severe) {
        this.severe = severe;
    }

    /** A severe signal contains the app in every organization, not only the one it was caught in. */
    public boolean severe() {
        return severe;
    }
}
