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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** Public search: practitioners of a specialty near a place, soonest free slot first, then nearest. */
@Service
public class PractitionerSearch {

    public static final double DEFAULT_RADIUS_KM = 10;

    /** The most next free slots a hit may carry. */
    static final int MAX_SLOTS_PER_HIT = 10;

    private final Directory directory;
    private final SlotFinder slots;
    private final TenantScope scope;
    private final int slotsPerHit;

    PractitionerSearch(
            Directory directory,
            SlotFinder slots,
            TenantScope scope,
            @Value("${creneau.search.slots-per-result:3}") int slotsPerHit) {
        if (slotsPerHit < 1 || slotsPerHit > MAX_SLOTS_PER_HIT) {
            throw new IllegalArgumentException(
                    "creneau.search.slots-per-result must be between 1 and " + MAX_SLOTS_PER_HIT);
        }
        this.directory = directory;
        this.slots = slots;
        this.scope = scope;
        this.slotsPerHit = slotsPerHit;
    }

    /**
     * What a patient asks: a specialty, and a city or a point with a radius.
     *
     * @param radiusKm null for the default
     */
    public record Query(String specialty, String city, Double lat, Double lon, Double radiusKm, TimeWindow window) {}

    /**
     * One practitioner at one site, with their next free slots in the window, soonest first (empty
     * when none).
     */
    public record Hit(SearchCandidate candidate, List<Slot> nextSlots) {

        public Hit {
            nextSlots = List.copyOf(nextSlots);
        }

        /** The soonest free slot, null when none. */
        public Slot nextSlot() {
            return nextSlots.isEmpty() ? null : nextSlots.get(0);
        }
    }

    public Page<Hit> search(Query query, Paging paging) {
        return Page.of(ranked(query), paging);
    }

    /**
     * Every hit of the search in its order, for a page that groups them (a practitioner at two sites
     * shown once) before paging: the same single computation as {@link #search}. Each hit carries
     * up to {@code creneau.search.slots-per-result} (default 3) next free slots, found in that same
     * pass.
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
        Map<SearchCandidate, List<Slot>> next = slots.nextSlots(candidates, query.window(), slotsPerHit);
        Comparator<Hit> order = Comparator.comparing((Hit h) ->
                        h.nextSlot() == null ? Instant.MAX : h.nextSlot().start())
                .thenComparingDouble(h -> h.candidate().distanceKm());
        return next.entrySet().stream()
                .map(e -> new Hit(e.getKey(), e.getValue()))
                .sorted(order)
                .toList();
    }
}
