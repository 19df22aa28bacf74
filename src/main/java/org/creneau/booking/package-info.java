/**
 * Booking: appointments held, confirmed, cancelled, moved and marked no-show. Double booking is
 * refused by PostgreSQL itself (an exclusion constraint per agenda); every change publishes an
 * event naming who did what to which appointment.
 */
@OwnsTables({"appointment", "waitlist_entry", "appointment_history"})
package org.creneau.booking;

import org.creneau.platform.OwnsTables;
