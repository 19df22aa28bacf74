package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The booking a visitor is making, kept in the session (never in a URL): the slot chosen, the hold
 * once there is one, and whom it is for ({@code personId} null: the account holder).
 */
record BookingInProgress(UUID practitionerId, UUID siteId, UUID motiveId, Instant start, UUID holdId, UUID personId)
        implements Serializable {

    static final String ATTRIBUTE = "creneau.booking";

    static Optional<BookingInProgress> of(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(ATTRIBUTE) instanceof BookingInProgress booking
                ? Optional.of(booking)
                : Optional.empty();
    }

    void keep(HttpServletRequest request) {
        request.getSession(true).setAttribute(ATTRIBUTE, this);
    }

    static void end(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ATTRIBUTE);
        }
    }

    BookingInProgress held(UUID id) {
        return new BookingInProgress(practitionerId, siteId, motiveId, start, id, personId);
    }

    BookingInProgress forPerson(UUID person) {
        return new BookingInProgress(practitionerId, siteId, motiveId, start, holdId, person);
    }
}
