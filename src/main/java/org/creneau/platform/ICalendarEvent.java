package org.creneau.platform;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.CalScale;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * An appointment as an iCalendar file (RFC 5545), written by ical4j: the time in the site's time
 * zone (its VTIMEZONE and TZID), the practice's address as LOCATION. One writer for the patients'
 * download and the confirmation email's attachment.
 */
public final class ICalendarEvent {

    private ICalendarEvent() {}

    /** @param id the appointment: the event's UID, so a calendar updates rather than duplicates it */
    public static String of(UUID id, Instant start, Instant end, ZoneId zone, String summary, String address) {
        VEvent event = new VEvent(start.atZone(zone), end.atZone(zone), summary);
        event.add(new Uid(id + "@creneau"));
        event.add(new Location(address));
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Creneau//Rendez-vous//FR"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(new CalScale(CalScale.VALUE_GREGORIAN));
        calendar.add(TimeZoneRegistryFactory.getInstance()
                .createRegistry()
                .getTimeZone(zone.getId())
                .getVTimeZone());
        calendar.add(event);
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter().output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
