package org.creneau.booking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Anti-hoarding and hold settings.
 *
 * @param holdMinutes how long a held slot waits for confirmation
 * @param minDaysBetweenSameSpecialty a person's two future appointments in one specialty must be
 *     at least this many days apart, unless one replaces the other
 * @param maxOpenPerPatient the most future appointments (held or booked) one person may have
 * @param waitlistOfferMinutes how long a slot offered from the waiting list waits for its answer
 */
@ConfigurationProperties("creneau.booking")
public record BookingLimits(
        int holdMinutes, int minDaysBetweenSameSpecialty, int maxOpenPerPatient, int waitlistOfferMinutes) {

    public BookingLimits {
        waitlistOfferMinutes = waitlistOfferMinutes <= 0 ? 60 : waitlistOfferMinutes;
        holdMinutes = holdMinutes <= 0 ? 10 : holdMinutes;
        minDaysBetweenSameSpecialty = minDaysBetweenSameSpecialty < 0 ? 6 : minDaysBetweenSameSpecialty;
        maxOpenPerPatient = maxOpenPerPatient <= 0 ? 5 : maxOpenPerPatient;
    }
}
