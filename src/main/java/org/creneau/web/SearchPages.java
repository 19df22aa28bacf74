package org.creneau.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.creneau.availability.PractitionerSearch;
import org.creneau.directory.Directory;
import org.creneau.directory.Site;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The public search page: by specialty and city, with each practitioner's next free slot. */
@Controller
class SearchPages {

    private static final Locale FRENCH = Locale.FRENCH;

    private final PractitionerSearch search;
    private final Directory directory;
    private final Clock clock;

    SearchPages(PractitionerSearch search, Directory directory, Clock clock) {
        this.search = search;
        this.directory = directory;
        this.clock = clock;
    }

    record ResultCard(
            UUID practitionerId,
            String name,
            String specialty,
            String siteName,
            String address,
            String distance,
            ZonedDateTime nextSlot) {}

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
            model.addAttribute("error", e.field().equals("specialty") ? "search.error.specialty" : "search.error.city");
            model.addAttribute("results", List.of());
            model.addAttribute("total", 0);
        }
        model.addAttribute("searched", true);
        return htmx != null ? "home :: results" : "home";
    }

    private static ResultCard card(PractitionerSearch.Hit hit) {
        var c = hit.candidate();
        Site site = c.site();
        ZonedDateTime next =
                hit.nextSlot() == null ? null : hit.nextSlot().start().atZone(site.timeZone());
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
