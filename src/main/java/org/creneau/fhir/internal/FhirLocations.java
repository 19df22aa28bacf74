package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.apps.ConnectedApps;
import org.creneau.directory.Directory;
import org.creneau.directory.Site;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * Location: the sites where the token's granted agendas receive patients, with {@code
 * system/Location.rs}. A site of another organization, or one where no granted agenda receives,
 * answers 404 like a missing one. Directory data: not journaled.
 */
@Component
class FhirLocations implements IResourceProvider {

    static final String SCOPE = "system/Location.rs";

    private final ConnectedApps registry;
    private final GrantedAgendas agendas;
    private final Directory directory;

    FhirLocations(ConnectedApps registry, GrantedAgendas agendas, Directory directory) {
        this.registry = registry;
        this.agendas = agendas;
        this.directory = directory;
    }

    @Override
    public Class<Location> getResourceType() {
        return Location.class;
    }

    @Search
    public List<Location> search(
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id,
            @OptionalParam(name = Location.SP_ORGANIZATION) ReferenceParam organization,
            @Count Integer count) {
        return open().stream()
                .filter(s -> FhirSearch.matches(id, s.id()))
                .filter(s -> FhirSearch.matches(organization, s.organizationId()))
                .limit(FhirSearch.limit(count))
                .map(FhirLocations::resource)
                .toList();
    }

    @Read
    public Location read(@IdParam IdType id) {
        return open().stream()
                .filter(s -> s.id().toString().equals(id.getIdPart()))
                .findFirst()
                .map(FhirLocations::resource)
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    private List<Site> open() {
        Map<UUID, Site> sites = new LinkedHashMap<>();
        for (GrantedAgendas.Agenda agenda :
                agendas.of(AppToken.current(registry).requireScope(SCOPE), Integer.MAX_VALUE)) {
            for (Site site : directory.sitesOf(agenda.practitionerId())) {
                // Sites come from opening ranges, which stay within the agenda's own organization.
                if (site.organizationId().equals(agenda.organizationId())) {
                    sites.putIfAbsent(site.id(), site);
                }
            }
        }
        return sites.values().stream()
                .sorted(Comparator.comparing(Site::name).thenComparing(s -> s.id().toString()))
                .toList();
    }

    private static Location resource(Site s) {
        Location location = new Location();
        location.setId(new IdType("Location", s.id().toString()));
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setMode(Location.LocationMode.INSTANCE);
        location.setName(s.name());
        location.getAddress()
                .setUse(org.hl7.fhir.r4.model.Address.AddressUse.WORK)
                .addLine(s.addressLine())
                .setPostalCode(s.postcode())
                .setCity(s.city())
                .setCountry("FR");
        location.getPosition()
                .setLatitude(BigDecimal.valueOf(s.latitude()))
                .setLongitude(BigDecimal.valueOf(s.longitude()));
        location.setManagingOrganization(new Reference("Organization/" + s.organizationId()));
        return location;
    }
}
