package org.creneau.booking;

/** Where an appointment stands. All but CANCELLED and EXPIRED keep their time taken. */
public enum AppointmentStatus {
    HELD,
    BOOKED,
    ARRIVED,
    SEEN,
    NO_SHOW,
    CANCELLED,
    EXPIRED
}
