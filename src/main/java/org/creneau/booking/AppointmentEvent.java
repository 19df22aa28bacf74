package org.creneau.booking;

import java.time.Instant;
import java.util.UUID;

/**
 * What happened to an appointment, who did it, and to which objects: identifiers only, so the
 * access journal and notifications can act on it without carrying personal data.
 *
 * @param actorAccountId the account that acted, or null for the platform (hold expiry, waitlist offers)
 * @param byPractice true when the practice's staff acted
 */
public record AppointmentEvent(
        Kind kind,
        UUID appointmentId,
        UUID organizationId,
        UUID practitionerId,
        UUID patientId,
        UUID actorAccountId,
        boolean byPractice,
        Instant start,
        Instant end,
        Instant previousStart,
        Instant occurredAt) {

    public enum Kind {
        HELD,
        BOOKED,
        CANCELLED,
        RESCHEDULED,
        ARRIVED,
        SEEN,
        NO_SHOW,
        WAITLIST_OFFERED
    }
}
