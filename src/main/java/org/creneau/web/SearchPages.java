package org.creneau.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.creneau.availability.PractitionerSearch;
import org.creneau.availability.Slot;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.Specialty;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The public search page: a specialty typed with suggestions (accents and case aside), a city or a
 * postcode, or the visitor's position ("around me"); each practitioner once, with their sites (and
 * the distance when a position was given) and, at each site, their next free slots as buttons that
 * book them.
 */
@Controller
class SearchPages {

    /** Practitioners a page of results shows. */
    static final int PAGE_SIZE = 10;

    private final PractitionerSearch search;
    private final Directory directory;
    private final Clock clock;

    SearchPages(PractitionerSearch search, Directory directory, Clock clock) {
        this.search = search;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * One site of a result, with its next free slots soonest first; {@code distance} in km from the
     * visitor's position, null without one.
     */
    record SiteLine(String name, String address, Double distance, List<SlotButton> slots) {}

    /** A free slot offered as a button: what the booking form sends, and the time in the site's zone. */
    record SlotButton(Slot slot, ZonedDateTime time) {}

    /** A practitioner found, once, with every site of theirs in the search and each site's next slots. */
    record ResultCard(UUID practitionerId, String name, String specialty, List<SiteLine> sites) {}

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("specialties", directory.specialties());
        model.addAttribute("specialty", "");
        model.addAttribute("city", "");
        return "home";
    }

    /** The suggestions while typing a specialty (htmx): a fragment of the home page. */
    @GetMapping("/recherche/specialites")
    String suggestions(@RequestParam(defaultValue = "") String specialty, Model model) {
        String typed = specialty.length() > 100 ? "" : specialty;
        model.addAttribute("suggestions", SpecialtyMatch.suggest(directory.specialties(), typed));
        model.addAttribute("typed", typed);
        return "home :: suggestions";
    }

    @GetMapping("/recherche")
    String results(
            @RequestParam(defaultValue = "") String specialty,
            @RequestParam(defaultValue = "") String city,
            @RequestParam(required = false) Double lat,
            @RequestParam(required = false) Double lon,
            @RequestParam(defaultValue = "0") int page,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Model model) {
        List<Specialty> specialties = directory.specialties();
        Optional<Specialty> chosen = SpecialtyMatch.resolve(specialties, specialty);
        boolean aroundMe = city.isBlank() && lat != null && lon != null;
        model.addAttribute("specialties", specialties);
        model.addAttribute("specialty", chosen.map(Specialty::label).orElse(specialty));
        model.addAttribute("city", city);
        model.addAttribute("lat", aroundMe ? lat : null);
        model.addAttribute("lon", aroundMe ? lon : null);
        model.addAttribute("searched", true);
        if (chosen.isEmpty()) {
            return refused("search.error.specialty", htmx, model);
        }
        List<ResultCard> cards;
        try {
            Instant now = clock.instant();
            cards = grouped(search.ranked(new PractitionerSearch.Query(
                    chosen.get().code(),
                    aroundMe ? null : city,
                    aroundMe ? lat : null,
                    aroundMe ? lon : null,
                    null,
                    new TimeWindow(now, now.plus(WeekGrid.SOONEST_WITHIN)))));
        } catch (InvalidInputException e) {
            return refused(
                    switch (e.field()) {
                        case "specialty" -> "search.error.specialty";
                        case "lat", "lon" -> "search.error.position";
                        default -> "search.error.city";
                    },
                    htmx,
                    model);
        }
        int pages = Math.max(1, (cards.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int shown = Math.max(0, Math.min(page, pages - 1));
        model.addAttribute(
                "results", cards.subList(shown * PAGE_SIZE, Math.min(cards.size(), (shown + 1) * PAGE_SIZE)));
        model.addAttribute("total", cards.size());
        model.addAttribute("pageNumber", shown);
        model.addAttribute("pages", pages);
        model.addAttribute("previousPage", shown > 0 ? shown - 1 : null);
        model.addAttribute("nextPage", shown + 1 < pages ? shown + 1 : null);
        model.addAttribute("showDistance", aroundMe);
        return htmx != null ? "home :: results" : "home";
    }

    private static String refused(String error, String htmx, Model model) {
        model.addAttribute("error", error);
        model.addAttribute("results", List.of());
        model.addAttribute("total", 0);
        return htmx != null ? "home :: results" : "home";
    }

    /**
     * The hits (one per practitioner and site, soonest slot first, each with its next slots) as one
     * card per practitioner, at the place of their best hit, listing each of their sites: no further
     * query.
     */
    private static List<ResultCard> grouped(List<PractitionerSearch.Hit> hits) {
        Map<UUID, List<PractitionerSearch.Hit>> byPractitioner = new LinkedHashMap<>();
        for (PractitionerSearch.Hit hit : hits) {
            byPractitioner
                    .computeIfAbsent(hit.candidate().practitioner().id(), id -> new ArrayList<>())
                    .add(hit);
        }
        List<ResultCard> cards = new ArrayList<>();
        for (List<PractitionerSearch.Hit> own : byPractitioner.values()) {
            Practitioner p = own.get(0).candidate().practitioner();
            List<SiteLine> sites = own.stream()
                    .map(h -> {
                        Site site = h.candidate().site();
                        return new SiteLine(
                                site.name(),
                                AppointmentPages.address(site),
                                h.candidate().distanceKm(),
                                h.nextSlots().stream()
                                        .map(s -> new SlotButton(s, s.start().atZone(site.timeZone())))
                                        .toList());
                    })
                    .toList();
            cards.add(new ResultCard(p.id(), p.displayName(), p.specialty().label(), sites));
        }
        return cards;
    }
}
