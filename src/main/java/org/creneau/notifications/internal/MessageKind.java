package org.creneau.notifications.internal;

/** What a message is about; part of its idempotency key and shown to the platform admin. */
enum MessageKind {
    BOOKING_CONFIRMED,
    REMINDER,
    APPOINTMENT_CANCELLED,
    APPOINTMENT_MOVED,
    WAITLIST_OFFERED,
    WAITLIST_SLOT_GONE,
    AGENDA_RIGHTS_CHANGED,
    GUARD_ALERT,
    /** Told whatever the account's message settings say. */
    SECURITY_NOTICE,
    STAFF_GUARD_ALERT,
    GUARD_NOTICE,
    GRANT_LIMITS_CHANGED,
    EMAIL_VERIFICATION,
    PASSWORD_RESET,
    REGISTRATION_ATTEMPTED,
    STAFF_INVITATION
}
