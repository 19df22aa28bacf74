package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A practitioner's page: sites, motives, and the free slots of the chosen motive and site as a grid
 * by day, a week at a time. Each slot is a button of one POST form: clicking it holds the slot.
 */
@Controller
class PractitionerPage {

    /** How far ahead the soonest slot is looked for, and said to be missing. */
    static final Duration SOONEST_WITHIN = Duration.ofDays(14);
    /** How many weeks ahead the grid may be paged. */
    static final int MAX_WEEKS_AHEAD = 26;

    private final Directory directory;
    private final SlotFinder slots;
    private final PageErrors errors;
    private final Clock clock;

    PractitionerPage(Directory directory, SlotFinder slots, PageErrors errors, Clock clock) {
        this.directory = directory;
        this.slots = slots;
        this.errors = errors;
        this.clock = clock;
    }

    /** One day of the grid, with its free slots (times in the site's zone). */
    record Day(ZonedDateTime date, List<SlotButton> slots) {}

    record SlotButton(ZonedDateTime time, Instant start, boolean soonest) {}

    @GetMapping("/praticiens/{id}")
    String practitioner(
            @PathVariable UUID id,
            @RequestParam(name = "motif", required = false) UUID motiveId,
            @RequestParam(name = "site", required = false) UUID siteId,
            @RequestParam(name = "semaine", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    LocalDate week,
            Model model) {
        Practitioner p = directory.practitioner(id).orElseThrow(() -> new NotFoundException("practitioner"));
        List<Site> sites = directory.sitesOf(id);
        List<VisitMotive> motives = directory.motivesOf(id);
        List<VisitMotive> bookable =
                motives.stream().filter(VisitMotive::onlineBookable).toList();
        model.addAttribute("practitioner", p);
        model.addAttribute("sites", sites);
        model.addAttribute("motives", motives);
        model.addAttribute("bookableMotives", bookable);
        if (bookable.isEmpty() || sites.isEmpty()) {
            return "practitioner";
        }
        VisitMotive motive = bookable.stream()
                .filter(m -> m.id().equals(motiveId))
                .findFirst()
                .orElse(bookable.get(0));
        Site site =
                sites.stream().filter(s -> s.id().equals(siteId)).findFirst().orElse(sites.get(0));
        ZoneId zone = site.timeZone();
        Instant now = clock.instant();
        LocalDate thisWeek = LocalDate.ofInstant(now, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate shown = week == null ? null : week.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Optional<Slot> soonest = freeAt(p.id(), motive, site, new TimeWindow(now, now.plus(SOONEST_WITHIN))).stream()
                .findFirst();
        if (shown == null) {
            // Without a chosen week, the week of the soonest free slot.
            shown = soonest.map(s -> LocalDate.ofInstant(s.start(), zone)
                            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                    .orElse(thisWeek);
        }
        if (shown.isBefore(thisWeek)) {
            shown = thisWeek;
        }
        if (shown.isAfter(thisWeek.plusWeeks(MAX_WEEKS_AHEAD))) {
            shown = thisWeek.plusWeeks(MAX_WEEKS_AHEAD);
        }
        Instant from = shown.atStartOfDay(zone).toInstant();
        Instant to = shown.plusWeeks(1).atStartOfDay(zone).toInstant();
        List<Slot> free = to.isAfter(now)
                ? freeAt(p.id(), motive, site, new TimeWindow(from.isBefore(now) ? now : from, to))
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
        model.addAttribute("motive", motive);
        model.addAttribute("site", site);
        model.addAttribute("days", days);
        model.addAttribute("weekStart", shown.atStartOfDay(zone));
        model.addAttribute("weekEnd", shown.plusDays(6).atStartOfDay(zone));
        model.addAttribute("previousWeek", shown.isAfter(thisWeek) ? shown.minusWeeks(1) : null);
        model.addAttribute("nextWeek", shown.isBefore(thisWeek.plusWeeks(MAX_WEEKS_AHEAD)) ? shown.plusWeeks(1) : null);
        model.addAttribute("soonest", soonest.map(s -> s.start().atZone(zone)).orElse(null));
        model.addAttribute(
                "soonestWeek",
                soonest.map(s -> LocalDate.ofInstant(s.start(), zone)
                                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                        .orElse(null));
        model.addAttribute("weekHasSlots", !free.isEmpty());
        return "practitioner";
    }

    /** Free slots of the motive at one site; slots at the practitioner's other sites are left out. */
    private List<Slot> freeAt(UUID practitionerId, VisitMotive motive, Site site, TimeWindow window) {
        return slots.freeSlots(practitionerId, motive.id(), window).stream()
                .filter(s -> s.siteId().equals(site.id()))
                .toList();
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }
}
