package org.creneau.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.creneau.availability.PractitionerSearch;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The public pages: search by specialty and city, and a practitioner's page with free slots. */
@Controller
class SearchPages {

    private static final Locale FRENCH = Locale.FRENCH;
    private static final DateTimeFormatter SLOT_DAY = DateTimeFormatter.ofPattern("EEEE d MMMM", FRENCH);
    private static final DateTimeFormatter SLOT_TIME = DateTimeFormatter.ofPattern("HH:mm", FRENCH);

    private final PractitionerSearch search;
    private final Directory directory;
    private final SlotFinder slots;
    private final Clock clock;

    SearchPages(PractitionerSearch search, Directory directory, SlotFinder slots, Clock clock) {
        this.search = search;
        this.directory = directory;
        this.slots = slots;
        this.clock = clock;
    }

    record ResultCard(
            UUID practitionerId,
            String name,
            String specialty,
            String siteName,
            String address,
            String distance,
            String nextSlot) {}

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("specialties", directory.specialties());
        model.addAttribute("specialty", "");
        model.addAttribute("city", "");
        return "home";
    }

    @GetMapping("/recherche")
    String results(
            @RequestParam(defaultValue = "") String specialty,
            @RequestParam(defaultValue = "") String city,
            @RequestParam(defaultValue = "0") int page,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Model model) {
        model.addAttribute("specialties", directory.specialties());
        model.addAttribute("specialty", specialty);
        model.addAttribute("city", city);
        try {
            Instant now = clock.instant();
            Page<PractitionerSearch.Hit> hits = search.search(
                    new PractitionerSearch.Query(
                            specialty, city, null, null, null, new TimeWindow(now, now.plus(Duration.ofDays(14)))),
                    new Paging(Math.max(0, page), 20));
            model.addAttribute(
                    "results", hits.items().stream().map(SearchPages::card).toList());
            model.addAttribute("total", hits.page().totalItems());
        } catch (InvalidInputException e) {
            model.addAttribute(
                    "error", e.field().equals("specialty") ? "Choisissez une spécialité." : "Indiquez une ville.");
            model.addAttribute("results", List.of());
            model.addAttribute("total", 0);
        }
        model.addAttribute("searched", true);
        return htmx != null ? "home :: results" : "home";
    }

    record DaySlots(String day, List<SlotLink> slots) {}

    record SlotLink(String time, String start, UUID siteId) {}

    record MotiveSlots(VisitMotive motive, List<DaySlots> days) {}

    @GetMapping("/praticiens/{id}")
    String practitioner(@PathVariable UUID id, Model model) {
        Practitioner p = directory.practitioner(id).orElseThrow(() -> new NotFoundException("practitioner"));
        List<Site> sites = directory.sitesOf(id);
        ZoneId zone = sites.isEmpty() ? ZoneId.of("Europe/Paris") : sites.get(0).timeZone();
        Instant now = clock.instant();
        TimeWindow week = new TimeWindow(now, now.plus(Duration.ofDays(7)));
        List<MotiveSlots> motives = new ArrayList<>();
        for (VisitMotive motive : directory.motivesOf(id)) {
            Map<String, List<SlotLink>> byDay = new LinkedHashMap<>();
            if (motive.onlineBookable()) {
                for (Slot slot : slots.freeSlots(id, motive.id(), week)) {
                    byDay.computeIfAbsent(SLOT_DAY.format(slot.start().atZone(zone)), d -> new ArrayList<>())
                            .add(new SlotLink(
                                    SLOT_TIME.format(slot.start().atZone(zone)),
                                    slot.start().toString(),
                                    slot.siteId()));
                }
            }
            motives.add(new MotiveSlots(
                    motive,
                    byDay.entrySet().stream()
                            .map(e -> new DaySlots(e.getKey(), e.getValue()))
                            .toList()));
        }
        model.addAttribute("practitioner", p);
        model.addAttribute("sites", sites);
        model.addAttribute("motives", motives);
        return "practitioner";
    }

    private static ResultCard card(PractitionerSearch.Hit hit) {
        var c = hit.candidate();
        Site site = c.site();
        String next = hit.nextSlot() == null
                ? null
                : SLOT_DAY.format(hit.nextSlot().start().atZone(site.timeZone())) + " à "
                        + SLOT_TIME.format(hit.nextSlot().start().atZone(site.timeZone()));
        return new ResultCard(
                c.practitioner().id(),
                c.practitioner().displayName(),
                c.practitioner().specialty().label(),
                site.name(),
                site.addressLine() + ", " + site.postcode() + " " + site.city(),
                String.format(FRENCH, "%.1f km", c.distanceKm()),
                next);
    }
}
