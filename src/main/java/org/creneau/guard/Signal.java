package org.creneau.guard;

/** Why the guard alerted on an app, and contained it when it did. */
public enum Signal {
    /** Distinct records never shown before, read far faster than the app's floor or its own baseline. */
    VELOCITY(false),
    /** Many answers "not found" or "refused": identifiers being tried. */
    ENUMERATION(false),
    /** Many different date windows, or many pages, searched one after another. */
    SWEEP(false),
    /** Records read by identifier that the app was never shown, never booked, never notified of. */
    UNSEEN_RECORDS(false),
    /** Activity outside the hours the grant allows. */
    OFF_HOURS(false),
    /** Many appointments of the distant past shown in a day: a sync reads around today. */
    DISTANT_PAST(false),
    /** A large share of the practice's patient file shown in a day. */
    PATIENT_SHARE(false),
    /** A quota or the rate limit of the grant reached (an alert), or met again and again (contained). */
    QUOTA(false),
    /** Patients never shown before, across all the app's grants in every organization, read too fast. */
    APP_VELOCITY(true),
    /** A quota of the app across all its grants reached (an alert), or met again and again (contained). */
    APP_QUOTA(true),
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
