package org.creneau.workspace;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.availability.DeskTimes;
import org.creneau.availability.Slot;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.PracticeDesk;
import org.creneau.booking.PracticeDesk.DeskAppointment;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The agenda as the desk reads it: for each practitioner and day, the appointments, holds, absences
 * and free slots together in time order. Built from three reads whatever the number of agendas (the
 * appointments with their patients, the absences, the free slots from the kept availability).
 */
@Component
class AgendaBoard {

    private final PracticeDesk desk;
    private final DeskTimes times;
    private final Directory directory;
    private final Clock clock;
    private final ZoneId defaultZone;

    AgendaBoard(
            PracticeDesk desk,
            DeskTimes times,
            Directory directory,
            Clock clock,
            @Value("${creneau.default-time-zone:Europe/Paris}") String defaultZone) {
        this.desk = desk;
        this.times = times;
        this.directory = directory;
        this.clock = clock;
        this.defaultZone = ZoneId.of(defaultZone);
    }

    /** What a row of the agenda is. */
    enum Kind {
        APPOINTMENT,
        HOLD,
        FREE,
        ABSENCE
    }

    /** One row: an appointment (or hold), a free slot, or an absence, with what the desk needs to show. */
    record Row(
            Kind kind,
            ZonedDateTime start,
            ZonedDateTime end,
            DeskAppointment appointment,
            String motive,
            UUID motiveId,
            UUID siteId,
            String siteName,
            String reason,
            String time,
            String href) {

        public boolean cancelled() {
            return appointment != null && appointment.status() == AppointmentStatus.CANCELLED;
        }

        public String patientName() {
            return appointment == null || appointment.patientLastName() == null
                    ? null
                    : appointment.patientFirstName() + " " + appointment.patientLastName();
        }
    }

    record Day(LocalDate date, List<Row> rows) {}

    /** One practitioner's column: their days in the window. */
    record Column(UUID practitionerId, String name, String specialty, VisitMotive motive, List<Day> days) {}

    /** The columns and every appointment shown (what the journal records), with the zone they are shown in. */
    record Board(List<Column> columns, List<DeskAppointment> appointments, ZoneId zone) {}

    /** Hours and minutes, formatted here once per row rather than by the template (a day has hundreds). */
    private static final DateTimeFormatter HOURS = DateTimeFormatter.ofPattern("HH:mm");

    private static String span(ZonedDateTime start, ZonedDateTime end) {
        return HOURS.format(start) + "–" + HOURS.format(end);
    }

    /** A practitioner of the caller's organization, or not found. */
    Practitioner practitioner(Caller.Staff staff, UUID practitionerId) {
        return directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(staff.organizationId()))
                .orElseThrow(() -> new NotFoundException("agenda"));
    }

    /** The time zone the practice's days are cut in: its first site's. */
    ZoneId zoneOf(List<UUID> practitionerIds) {
        for (UUID p : practitionerIds) {
            List<Site> sites = directory.sitesOf(p);
            if (!sites.isEmpty()) {
                return sites.get(0).timeZone();
            }
        }
        return defaultZone;
    }

    /**
     * The board of some agendas over {@code days} days from {@code first}; free slots of the motive
     * chosen for each agenda (its first when none). The rights are the desk's: an agenda the person may
     * not see is not found.
     */
    Board board(
            Caller.Staff staff,
            List<Practitioner> practitioners,
            Map<UUID, UUID> chosenMotives,
            LocalDate first,
            int days,
            ZoneId zone) {
        List<UUID> ids = practitioners.stream().map(Practitioner::id).toList();
        TimeWindow window = new TimeWindow(
                first.atStartOfDay(zone).toInstant(),
                first.plusDays(days).atStartOfDay(zone).toInstant());
        List<DeskAppointment> appointments = desk.agendas(staff, ids, window);
        Map<UUID, List<DeskTimes.Absence>> absences = times.absences(staff, ids, window);
        Map<UUID, List<VisitMotive>> motivesOf = new HashMap<>();
        directory
                .motivesOf(ids)
                .forEach(m -> motivesOf
                        .computeIfAbsent(m.practitionerId(), k -> new ArrayList<>())
                        .add(m));
        Map<UUID, VisitMotive> motiveById = new HashMap<>();
        motivesOf.values().forEach(list -> list.forEach(m -> motiveById.put(m.id(), m)));
        List<VisitMotive> shownMotives = new ArrayList<>();
        for (UUID p : ids) {
            List<VisitMotive> own = motivesOf.getOrDefault(p, List.of());
            UUID chosen = chosenMotives.get(p);
            own.stream()
                    .filter(m -> m.id().equals(chosen))
                    .findFirst()
                    .or(() -> own.stream().findFirst())
                    .ifPresent(shownMotives::add);
        }
        Map<UUID, List<Slot>> free = times.freeSlots(staff, shownMotives, window);
        Map<UUID, String> siteNames = new HashMap<>();
        ids.forEach(p -> directory.sitesOf(p).forEach(s -> siteNames.put(s.id(), s.name())));
        Instant now = clock.instant();
        List<Column> columns = new ArrayList<>();
        for (Practitioner p : practitioners) {
            VisitMotive motive = shownMotives.stream()
                    .filter(m -> m.practitionerId().equals(p.id()))
                    .findFirst()
                    .orElse(null);
            List<Row> rows = new ArrayList<>();
            for (DeskAppointment a : appointments) {
                if (!a.practitionerId().equals(p.id())) {
                    continue;
                }
                if (a.status() == AppointmentStatus.HELD
                        && a.holdExpiresAt() != null
                        && !a.holdExpiresAt().isAfter(now)) {
                    continue;
                }
                VisitMotive m = motiveById.get(a.motiveId());
                rows.add(new Row(
                        a.status() == AppointmentStatus.HELD ? Kind.HOLD : Kind.APPOINTMENT,
                        a.start().atZone(zone),
                        a.end().atZone(zone),
                        a,
                        m == null ? "" : m.label(),
                        a.motiveId(),
                        a.siteId(),
                        siteNames.getOrDefault(a.siteId(), ""),
                        a.cancelReason(),
                        span(a.start().atZone(zone), a.end().atZone(zone)),
                        "/cabinet/rendez-vous/" + a.id()));
            }
            for (DeskTimes.Absence absence : absences.getOrDefault(p.id(), List.of())) {
                rows.add(new Row(
                        Kind.ABSENCE,
                        absence.from().atZone(zone),
                        absence.to().atZone(zone),
                        null,
                        null,
                        null,
                        null,
                        null,
                        absence.reason(),
                        null,
                        null));
            }
            for (Slot slot : free.getOrDefault(p.id(), List.of())) {
                rows.add(new Row(
                        Kind.FREE,
                        slot.start().atZone(zone),
                        slot.end().atZone(zone),
                        null,
                        motive == null ? "" : motive.label(),
                        slot.motiveId(),
                        slot.siteId(),
                        siteNames.getOrDefault(slot.siteId(), ""),
                        null,
                        HOURS.format(slot.start().atZone(zone)),
                        "/cabinet/agenda/" + p.id() + "/reserver?debut=" + slot.start() + "&motif=" + slot.motiveId()
                                + "&site=" + slot.siteId()));
            }
            rows.sort(Comparator.comparing((Row r) -> r.start().toInstant()).thenComparing(Row::kind));
            List<Day> dayList = new ArrayList<>();
            for (int i = 0; i < days; i++) {
                LocalDate date = first.plusDays(i);
                Instant from = date.atStartOfDay(zone).toInstant();
                Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
                dayList.add(new Day(
                        date,
                        rows.stream()
                                .filter(r -> r.start().toInstant().isBefore(to)
                                        && r.end().toInstant().isAfter(from))
                                .toList()));
            }
            columns.add(new Column(p.id(), p.displayName(), p.specialty().label(), motive, dayList));
        }
        return new Board(columns, appointments, zone);
    }
}
