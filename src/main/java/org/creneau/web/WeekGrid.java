package org.creneau.web;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.TimeWindow;
import org.springframework.ui.Model;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * One week of a practitioner's free slots for a motive at a site, by day, as the practitioner page
 * and the page moving an appointment show it: the soonest slot of the next 14 days is marked, and
 * the week may be paged up to 26 weeks ahead.
 */
record WeekGrid(
        List<Day> days,
        LocalDate week,
        ZonedDateTime weekStart,
        ZonedDateTime weekEnd,
        LocalDate previousWeek,
        LocalDate nextWeek,
        ZonedDateTime soonest,
        LocalDate soonestWeek) {

    /** How far ahead the soonest slot is looked for, and said to be missing. */
    static final Duration SOONEST_WITHIN = Duration.ofDays(14);
    /** How many weeks ahead the grid may be paged. */
    static final int MAX_WEEKS_AHEAD = 26;

    /** One day of the grid, with its free slots (times in the site's zone). */
    record Day(ZonedDateTime date, List<SlotButton> slots) {}

    record SlotButton(ZonedDateTime time, Instant start, boolean soonest) {}

    /** The grid of the week asked for (null: the week of the soonest free slot, else this week). */
    static WeekGrid of(
            SlotFinder slots, UUID practitionerId, VisitMotive motive, Site site, LocalDate asked, Instant now) {
        ZoneId zone = site.timeZone();
        LocalDate thisWeek = monday(LocalDate.ofInstant(now, zone));
        Optional<Slot> soonest =
                freeAt(slots, practitionerId, motive, site, new TimeWindow(now, now.plus(SOONEST_WITHIN))).stream()
                        .findFirst();
        LocalDate soonestWeek =
                soonest.map(s -> monday(LocalDate.ofInstant(s.start(), zone))).orElse(null);
        LocalDate shown = asked != null ? monday(asked) : soonestWeek != null ? soonestWeek : thisWeek;
        if (shown.isBefore(thisWeek)) {
            shown = thisWeek;
        }
        if (shown.isAfter(thisWeek.plusWeeks(MAX_WEEKS_AHEAD))) {
            shown = thisWeek.plusWeeks(MAX_WEEKS_AHEAD);
        }
        Instant from = shown.atStartOfDay(zone).toInstant();
        Instant to = shown.plusWeeks(1).atStartOfDay(zone).toInstant();
        List<Slot> free = to.isAfter(now)
                ? freeAt(slots, practitionerId, motive, site, new TimeWindow(from.isBefore(now) ? now : from, to))
                : List.of();
        List<Day> days = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            LocalDate date = shown.plusDays(d);
            List<SlotButton> buttons = free.stream()
                    .filter(s -> LocalDate.ofInstant(s.start(), zone).equals(date))
                    .map(s -> new SlotButton(
                            s.start().atZone(zone),
                            s.start(),
                            soonest.isPresent() && soonest.get().start().equals(s.start())))
                    .toList();
            days.add(new Day(date.atStartOfDay(zone), buttons));
        }
        return new WeekGrid(
                days,
                shown,
                shown.atStartOfDay(zone),
                shown.plusDays(6).atStartOfDay(zone),
                shown.isAfter(thisWeek) ? shown.minusWeeks(1) : null,
                shown.isBefore(thisWeek.plusWeeks(MAX_WEEKS_AHEAD)) ? shown.plusWeeks(1) : null,
                soonest.map(s -> s.start().atZone(zone)).orElse(null),
                soonestWeek);
    }

    boolean hasSlots() {
        return days.stream().anyMatch(d -> !d.slots().isEmpty());
    }

    /**
     * The model attributes the grid's template fragment reads: {@code page} is the page's address with
     * its other parameters (the week is added as {@code semaine}), {@code slotLabel} the key naming a
     * slot button for screen readers.
     */
    void addTo(Model model, UriComponentsBuilder page, String slotLabel) {
        Map<String, String> links = new HashMap<>();
        if (previousWeek != null) {
            links.put("previous", weekLink(page, previousWeek));
        }
        if (nextWeek != null) {
            links.put("next", weekLink(page, nextWeek));
        }
        if (soonestWeek != null) {
            links.put("soonest", weekLink(page, soonestWeek));
        }
        model.addAttribute("weekLinks", links);
        model.addAttribute("slotLabel", slotLabel);
        model.addAttribute("days", days);
        model.addAttribute("weekStart", weekStart);
        model.addAttribute("weekEnd", weekEnd);
        model.addAttribute("previousWeek", previousWeek);
        model.addAttribute("nextWeek", nextWeek);
        model.addAttribute("soonest", soonest);
        model.addAttribute("soonestWeek", soonestWeek);
        model.addAttribute("weekHasSlots", hasSlots());
    }

    /** Free slots of the motive at one site; slots at the practitioner's other sites are left out. */
    static List<Slot> freeAt(SlotFinder slots, UUID practitionerId, VisitMotive motive, Site site, TimeWindow window) {
        return slots.freeSlots(practitionerId, motive.id(), window).stream()
                .filter(s -> s.siteId().equals(site.id()))
                .toList();
    }

    private static String weekLink(UriComponentsBuilder page, LocalDate week) {
        return page.cloneBuilder()
                .replaceQueryParam("semaine", week)
                .build()
                .encode()
                .toUriString();
    }

    private static LocalDate monday(LocalDate date) {
        return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
