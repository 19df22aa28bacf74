package org.creneau.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.directory.internal.DirectoryRepository;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NodeCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Reads of the public directory, for the other modules and the public pages. The lookups by id
 * that every slot search and booking repeats are kept in this node's memory for at most
 * {@code creneau.cache.time-to-live}, and dropped at once when this node changes the directory.
 * The directory is public: what is kept is the same for every caller.
 */
@Service
public class Directory {

    /** Search looks at no more candidates than this, nearest first. */
    public static final int MAX_CANDIDATES = 500;

    private final DirectoryRepository repository;
    private final TenantScope scope;
    private final NodeCache<Key, Boolean, Object> kept;

    /** What is kept: one kind of lookup and its argument. */
    private record Key(String kind, Object id) {}

    Directory(
            DirectoryRepository repository,
            TenantScope scope,
            Clock clock,
            @Value("${creneau.cache.time-to-live:PT5S}") Duration timeToLive,
            @Value("${creneau.cache.directory-entries:20000}") int maxEntries) {
        this.repository = repository;
        this.scope = scope;
        this.kept = new NodeCache<>(maxEntries, timeToLive, clock);
    }

    /** Directory changes are rare (staff editing an agenda's settings): everything kept is dropped. */
    @EventListener
    void changed(DirectoryChanged change) {
        kept.invalidateAll();
    }

    public List<Specialty> specialties() {
        return kept("specialties", "", () -> scope.read(Caller.ANONYMOUS, repository::specialties));
    }

    public Specialty requireSpecialty(String code) {
        return specialties().stream()
                .filter(s -> s.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("specialty", "is not a known specialty code"));
    }

    public Optional<Organization> organization(UUID id) {
        return keptIfFound("organization", id, () -> scope.read(Caller.ANONYMOUS, () -> repository.organization(id)));
    }

    public Optional<Practitioner> practitioner(UUID id) {
        return keptIfFound("practitioner", id, () -> scope.read(Caller.ANONYMOUS, () -> repository.practitioner(id)));
    }

    public List<Site> sitesOf(UUID practitionerId) {
        return scope.read(Caller.ANONYMOUS, () -> repository.sitesOf(practitionerId));
    }

    public List<VisitMotive> motivesOf(UUID practitionerId) {
        return motivesOf(List.of(practitionerId));
    }

    /** Motives of many practitioners, those not kept read in one statement, for search. */
    @SuppressWarnings("unchecked")
    public List<VisitMotive> motivesOf(Collection<UUID> practitionerIds) {
        if (practitionerIds.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<VisitMotive>> found = new HashMap<>();
        Set<UUID> missing = new LinkedHashSet<>();
        for (UUID id : practitionerIds) {
            Object motives = kept.get(new Key("motives", id));
            if (motives != null) {
                found.put(id, (List<VisitMotive>) motives);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            NodeCache.Ticket ticket = kept.ticket();
            Map<UUID, List<VisitMotive>> read = new HashMap<>();
            missing.forEach(id -> read.put(id, new ArrayList<>()));
            scope.read(Caller.ANONYMOUS, () -> repository.motivesOf(missing))
                    .forEach(m -> read.get(m.practitionerId()).add(m));
            read.forEach((id, motives) -> {
                List<VisitMotive> list = List.copyOf(motives);
                kept.put(ticket, new Key("motives", id), Boolean.TRUE, list);
                found.put(id, list);
            });
        }
        List<VisitMotive> all = new ArrayList<>();
        new LinkedHashSet<>(practitionerIds).forEach(id -> all.addAll(found.get(id)));
        return all;
    }

    public Optional<VisitMotive> motive(UUID id) {
        return keptIfFound("motive", id, () -> scope.read(Caller.ANONYMOUS, () -> repository.motive(id)));
    }

    public Optional<Site> site(UUID id) {
        return keptIfFound("site", id, () -> scope.read(Caller.ANONYMOUS, () -> repository.site(id)));
    }

    /** Every site of an organization (where its agendas may open), by name; not kept: staff pages only. */
    public List<Site> sitesOfOrganization(UUID organizationId) {
        return scope.read(Caller.ANONYMOUS, () -> repository.sitesOfOrganization(organizationId));
    }

    /** The sites of these ids that exist, those not kept read in one statement. */
    public List<Site> sites(Collection<UUID> ids) {
        List<Site> found = new ArrayList<>();
        Set<UUID> missing = new LinkedHashSet<>();
        for (UUID id : new LinkedHashSet<>(ids)) {
            Object site = kept.get(new Key("site", id));
            if (site != null) {
                found.add((Site) site);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            NodeCache.Ticket ticket = kept.ticket();
            for (Site site : scope.read(Caller.ANONYMOUS, () -> repository.sites(missing))) {
                kept.put(ticket, new Key("site", site.id()), Boolean.TRUE, site);
                found.add(site);
            }
        }
        return found;
    }

    /**
     * The centre of a city as the mean of its sites, if any site is there; for a French postcode
     * (five digits), the centre of its sites, searched around within the radius.
     */
    public Optional<Place> city(String name, double radiusKm) {
        if (name.strip().matches("\\d{5}")) {
            return scope.read(Caller.ANONYMOUS, () -> repository.postcodeCentre(name.strip()))
                    .map(c -> new Place(c[0], c[1], radiusKm, null));
        }
        String key = CityKey.of(name);
        if (key.isEmpty()) {
            throw new InvalidInputException("city", "must name a city");
        }
        return scope.read(Caller.ANONYMOUS, () -> repository.cityCentre(key))
                .map(c -> new Place(c[0], c[1], radiusKm, key));
    }

    /**
     * The agendas (practitioners) {@code caller} sees, by name then id, at most {@code limit}: for a
     * connected app acting through a grant, row-level security keeps the agendas it opens (V17). Not
     * kept in memory: what it returns depends on the caller.
     */
    public List<UUID> agendasSeenBy(Caller caller, int limit) {
        return scope.read(caller, () -> repository.practitionerIdsByName(limit));
    }

    /** Whether the platform has any organization yet (a first start has none). */
    public boolean hasOrganizations() {
        return scope.read(Caller.ANONYMOUS, repository::anyOrganization);
    }

    /** Organizations' ids in id order, after {@code after}, at most {@code limit}: a pass over all of them. */
    public List<UUID> organizationIds(UUID after, int limit) {
        return scope.read(Caller.ANONYMOUS, () -> repository.organizationIds(after, limit));
    }

    /**
     * An agenda in outline: its practitioner and specialty, its first motive and that motive's length,
     * and a site (one where the practitioner consults, when there is one) with its time zone.
     */
    public record AgendaOutline(
            UUID practitionerId,
            String specialtyCode,
            UUID motiveId,
            Duration motiveLength,
            UUID siteId,
            ZoneId zone) {}

    /** An organization's agendas that have a motive, in outline, by practitioner id, at most {@code limit}. */
    public List<AgendaOutline> agendaOutlines(UUID organizationId, int limit) {
        return scope.read(Caller.ANONYMOUS, () -> repository.agendaOutlines(organizationId, limit));
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

    @SuppressWarnings("unchecked")
    private <T> T kept(String kind, Object id, Supplier<T> read) {
        Key key = new Key(kind, id);
        Object value = kept.get(key);
        if (value != null) {
            return (T) value;
        }
        NodeCache.Ticket ticket = kept.ticket();
        T found = read.get();
        kept.put(ticket, key, Boolean.TRUE, found);
        return found;
    }

    /** Only what exists is kept: an id not found now may be created in a moment. */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> keptIfFound(String kind, Object id, Supplier<Optional<T>> read) {
        Key key = new Key(kind, id);
        Object value = kept.get(key);
        if (value != null) {
            return Optional.of((T) value);
        }
        NodeCache.Ticket ticket = kept.ticket();
        Optional<T> found = read.get();
        found.ifPresent(v -> kept.put(ticket, key, Boolean.TRUE, v));
        return found;
    }

    /** An organization's agendas (its practitioners), by name, at most {@code limit}: for its admin's pages. */
    public List<Practitioner> practitionersOf(UUID organizationId, int limit) {
        return scope.read(Caller.ANONYMOUS, () -> repository.practitionersOf(organizationId, limit));
    }
}
