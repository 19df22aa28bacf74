package org.creneau.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.stereotype.Component;

/**
 * An appointment as an iCalendar file (RFC 5545) for the patient's own calendar, written by ical4j:
 * the time in the site's time zone (its VTIMEZONE and TZID), the practice's address as LOCATION.
 *
 * @param id the appointment, as the journal names it
 * @param text the file
 */
record CalendarFile(UUID id, String text) {

    static final MediaType TEXT_CALENDAR = new MediaType("text", "calendar", StandardCharsets.UTF_8);

    static CalendarFile of(UUID id, Instant start, Instant end, ZoneId zone, String summary, String address) {
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
        return new CalendarFile(id, out.toString());
    }

    /** Writes a {@link CalendarFile} as {@code text/calendar}. */
    @Component
    static class Converter extends AbstractHttpMessageConverter<CalendarFile> {

        Converter() {
            super(TEXT_CALENDAR);
        }

        @Override
        protected boolean supports(Class<?> type) {
            return CalendarFile.class == type;
        }

        @Override
        protected CalendarFile readInternal(Class<? extends CalendarFile> type, HttpInputMessage input) {
            throw new UnsupportedOperationException("calendar files are only written");
        }

        @Override
        protected void writeInternal(CalendarFile file, HttpOutputMessage output) throws IOException {
            output.getBody().write(file.text().getBytes(StandardCharsets.UTF_8));
        }
    }
}
