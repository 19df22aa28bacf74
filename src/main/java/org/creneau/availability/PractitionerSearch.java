package org.creneau.availability;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.directory.Directory;
import org.creneau.directory.Place;
import org.creneau.directory.SearchCandidate;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Service;

/** Public search: practitioners of a specialty near a place, soonest free slot first, then nearest. */
@Service
public class PractitionerSearch {

    public static final double DEFAULT_RADIUS_KM = 10;

    private final Directory directory;
    private final SlotFinder slots;
    private final TenantScope scope;

    PractitionerSearch(Directory directory, SlotFinder slots, TenantScope scope) {
        this.directory = directory;
        this.slots = slots;
        this.scope = scope;
    }

    /**
     * What a patient asks: a specialty, and a city or a point with a radius.
     *
     * @param radiusKm null for the default
     */
    public record Query(String specialty, String city, Double lat, Double lon, Double radiusKm, TimeWindow window) {}

    /** One practitioner at one site, with the next free slot in the window (null when none). */
    public record Hit(SearchCandidate candidate, Slot nextSlot) {}

    public Page<Hit> search(Query query, Paging paging) {
        return Page.of(ranked(query), paging);
    }

    /**
     * Every hit of the search in its order, for a page that groups them (a practitioner at two sites
     * shown once) before paging: the same single computation as {@link #search}.
     */
    public List<Hit> ranked(Query query) {
        // One read-only transaction for all the search's statements (city, candidates, what is not
        // kept): each transaction of its own would add its begin, caller settings and commit.
        return scope.read(Caller.ANONYMOUS, () -> rankedWithin(query));
    }

    private List<Hit> rankedWithin(Query query) {
        directory.requireSpecialty(query.specialty());
        double radius = query.radiusKm() == null ? DEFAULT_RADIUS_KM : query.radiusKm();
        Optional<Place> place;
        if (query.city() != null && !query.city().isBlank()) {
            if (query.city().length() > 100) {
                throw new InvalidInputException("city", "is too long");
            }
            place = directory.city(query.city(), radius);
        } else if (query.lat() != null && query.lon() != null) {
            place = Optional.of(new Place(query.lat(), query.lon(), radius, null));
        } else {
            throw new InvalidInputException("city", "give a city, or lat and lon");
        }
        if (place.isEmpty()) {
            return List.of();
        }
        List<SearchCandidate> candidates = directory.candidates(query.specialty(), place.get());
        Map<SearchCandidate, Optional<Slot>> next = slots.nextSlots(candidates, query.window());
        Comparator<Map.Entry<SearchCandidate, Optional<Slot>>> order = Comparator.comparing(
                        (Map.Entry<SearchCandidate, Optional<Slot>> e) ->
                                e.getValue().map(Slot::start).orElse(Instant.MAX))
                .thenComparingDouble(e -> e.getKey().distanceKm());
        return next.entrySet().stream()
                .sorted(order)
                .map(e -> new Hit(e.getKey(), e.getValue().orElse(null)))
                .toList();
    }
}
