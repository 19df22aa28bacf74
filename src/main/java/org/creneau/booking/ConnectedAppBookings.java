package org.creneau.booking;

import java.time.Instant;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.booking.internal.AppointmentBook;
import org.springframework.stereotype.Service;

/**
 * Booking for a connected app (practice software through FHIR): the practice's own rules apply,
 * as at its desk, for an existing patient of the organization's file. The caller has checked that
 * the app's grant opens this organization and agenda.
 */
@Service
public class ConnectedAppBookings {

    private final AppointmentBook book;

    ConnectedAppBookings(AppointmentBook book) {
        this.book = book;
    }

    /**
     * The app's own id for a booking (FHIR {@code Appointment.identifier}): stored with it, unique in
     * the organization, so that a retried request finds the booking instead of making another.
     */
    public record AppIdentifier(String system, String value) {}

    /**
     * Books and returns the new appointment as stored; {@code identifier} may be null. Conflicts (a taken
     * time, an identifier already used in the organization) and bad input throw the platform's
     * exceptions. {@code author} is the app and grant the history names as the booking's author.
     */
    public AppointmentView book(
            UUID organizationId,
            UUID practitionerId,
            UUID motiveId,
            UUID siteId,
            Instant start,
            UUID orgPatientId,
            AppIdentifier identifier,
            Caller.ForApp author) {
        return book.bookForConnectedApp(
                new Caller.System(organizationId, author),
                new AppointmentBook.DeskBooking(practitionerId, motiveId, siteId, start, orgPatientId, null),
                identifier == null ? null : identifier.system(),
                identifier == null ? null : identifier.value());
    }

    /**
     * Cancels by the practice's software, if the appointment is still at {@code expectedVersion}
     * (null: whatever its version), in the name of {@code author}; returns its new version.
     */
    public int cancel(
            UUID organizationId, UUID appointmentId, Integer expectedVersion, String reason, Caller.ForApp author) {
        return book.cancelForConnectedApp(
                new Caller.System(organizationId, author), appointmentId, expectedVersion, reason);
    }
}
