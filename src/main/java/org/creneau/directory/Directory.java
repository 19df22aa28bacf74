package org.creneau.directory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.directory.internal.DirectoryRepository;
import org.creneau.platform.InvalidInputException;
import org.springframework.stereotype.Service;

/** Reads of the public directory, for the other modules and the public pages. */
@Service
public class Directory {

    /** Search looks at no more candidates than this, nearest first. */
    public static final int MAX_CANDIDATES = 500;

    private final DirectoryRepository repository;
    private final TenantScope scope;

    Directory(DirectoryRepository repository, TenantScope scope) {
        this.repository = repository;
        this.scope = scope;
    }

    public List<Specialty> specialties() {
        return scope.read(Caller.ANONYMOUS, repository::specialties);
    }

    public Specialty requireSpecialty(String code) {
        return specialties().stream()
                .filter(s -> s.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("specialty", "is not a known specialty code"));
    }

    public Optional<Organization> organization(UUID id) {
        return scope.read(Caller.ANONYMOUS, () -> repository.organization(id));
    }

    public Optional<Practitioner> practitioner(UUID id) {
        return scope.read(Caller.ANONYMOUS, () -> repository.practitioner(id));
    }

    public List<Site> sitesOf(UUID practitionerId) {
        return scope.read(Caller.ANONYMOUS, () -> repository.sitesOf(practitionerId));
    }

    public List<VisitMotive> motivesOf(UUID practitionerId) {
        return scope.read(Caller.ANONYMOUS, () -> repository.motivesOf(practitionerId));
    }

    /** Motives of many practitioners in one read, for search. */
    public List<VisitMotive> motivesOf(java.util.Collection<UUID> practitionerIds) {
        if (practitionerIds.isEmpty()) {
            return List.of();
        }
        return scope.read(Caller.ANONYMOUS, () -> repository.motivesOf(practitionerIds));
    }

    public Optional<VisitMotive> motive(UUID id) {
        return scope.read(Caller.ANONYMOUS, () -> repository.motive(id));
    }

    public Optional<Site> site(UUID id) {
        return scope.read(Caller.ANONYMOUS, () -> repository.site(id));
    }

    /** The centre of a city as the mean of its sites, if any site is there. */
    public Optional<Place> city(String name, double radiusKm) {
        String key = CityKey.of(name);
        if (key.isEmpty()) {
            throw new InvalidInputException("city", "must name a city");
        }
        return scope.read(Caller.ANONYMOUS, () -> repository.cityCentre(key))
                .map(c -> new Place(c[0], c[1], radiusKm, key));
    }

    /** Practitioners of a specialty receiving within a place, nearest first, at most {@link #MAX_CANDIDATES}. */
    public List<SearchCandidate> candidates(String specialtyCode, Place place) {
        List<SearchCandidate> found = scope.read(Caller.ANONYMOUS, () -> repository.candidates(specialtyCode, place));
        return found.stream()
                .filter(c -> place.cityKey() != null || c.distanceKm() <= place.radiusKm())
                .sorted(Comparator.comparingDouble(SearchCandidate::distanceKm))
                .limit(MAX_CANDIDATES)
                .toList();
    }
}
