package org.creneau.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.creneau.platform.ICalendarEvent;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.stereotype.Component;

/**
 * An appointment as an iCalendar file (RFC 5545) for the patient's own calendar, written by
 * {@link ICalendarEvent} (the confirmation email attaches the same).
 *
 * @param id the appointment, as the journal names it
 * @param text the file
 */
record CalendarFile(UUID id, String text) {

    static final MediaType TEXT_CALENDAR = new MediaType("text", "calendar", StandardCharsets.UTF_8);

    static CalendarFile of(UUID id, Instant start, Instant end, ZoneId zone, String summary, String address) {
        return new CalendarFile(id, ICalendarEvent.of(id, start, end, zone, summary, address));
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
