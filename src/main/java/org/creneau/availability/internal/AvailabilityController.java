package org.creneau.availability.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.creneau.availability.PractitionerSearch;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.directory.SearchCandidate;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeParameter;
import org.creneau.platform.TimeWindow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Public search and a practitioner's free slots. */
@RestController
@RequestMapping("/api/v1")
class AvailabilityController {

    static final int DEFAULT_SEARCH_DAYS = 14;

    private final PractitionerSearch search;
    private final SlotFinder slots;
    private final Clock clock;
    private final ZoneId dayZone;

    AvailabilityController(
            PractitionerSearch search,
            SlotFinder slots,
            Clock clock,
            @Value("${creneau.default-time-zone:Europe/Paris}") String dayZone) {
        this.search = search;
        this.slots = slots;
        this.clock = clock;
        this.dayZone = ZoneId.of(dayZone);
    }

    @GetMapping("/search")
    Page<SearchResult> search(
            @RequestParam String specialty,
            @RequestParam(required = false) String city,
            @RequestParam(required = false) Double lat,
            @RequestParam(required = false) Double lon,
            @RequestParam(required = false) Double radiusKm,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        TimeWindow window = window(from, to, DEFAULT_SEARCH_DAYS);
        Page<PractitionerSearch.Hit> hits =
                search.search(new PractitionerSearch.Query(specialty, city, lat, lon, radiusKm, window), paging);
        return new Page<>(
                hits.items().stream()
                        .map(h -> SearchResult.of(h.candidate(), h.nextSlots()))
                        .toList(),
                hits.page());
    }

    @GetMapping("/practitioners/{id}/slots")
    SlotList slots(
            @PathVariable UUID id,
            @RequestParam UUID motiveId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        TimeWindow window = window(from, to, 7);
        return new SlotList(
                slots.freeSlots(id, motiveId, window).stream().map(SlotView::of).toList());
    }

    private TimeWindow window(String fromText, String toText, int defaultDays) {
        return TimeParameter.window(
                fromText, toText, clock.instant(), Duration.ofDays(defaultDays), SlotFinder.MAX_WINDOW_DAYS, dayZone);
    }

    record SlotList(List<SlotView> slots) {}

    record SlotView(Instant start, Instant end, UUID siteId, UUID motiveId) {
        static SlotView of(Slot s) {
            return s == null ? null : new SlotView(s.start(), s.end(), s.siteId(), s.motiveId());
        }
    }

    record SiteSummary(UUID id, String name, String city, double lat, double lon) {}

    record SearchResult(
            UUID practitionerId,
            String name,
            String specialty,
            SiteSummary site,
            double distanceKm,
            SlotView nextSlot,
            List<SlotView> nextSlots) {
        static SearchResult of(SearchCandidate c, List<Slot> next) {
            var s = c.site();
            return new SearchResult(
                    c.practitioner().id(),
                    c.practitioner().displayName(),
                    c.practitioner().specialty().code(),
                    new SiteSummary(s.id(), s.name(), s.city(), s.latitude(), s.longitude()),
                    Math.round(c.distanceKm() * 100) / 100.0,
                    next.isEmpty() ? null : SlotView.of(next.get(0)),
                    next.stream().map(SlotView::of).toList());
        }
    }
}
