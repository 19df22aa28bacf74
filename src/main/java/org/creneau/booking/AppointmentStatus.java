package org.creneau.booking;

/** Where an appointment stands. HELD, BOOKED and NO_SHOW keep their time taken. */
public enum AppointmentStatus {
    HELD,
    BOOKED,
    CANCELLED,
    EXPIRED,
    NO_SHOW
}
