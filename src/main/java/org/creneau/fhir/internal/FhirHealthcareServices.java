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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.apps.ConnectedApps;
import org.creneau.directory.Directory;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * HealthcareService: the visit motives of the token's granted agendas, with {@code
 * system/HealthcareService.rs}. R4 has no element for a visit's duration or for who may book it, so
 * those three facts travel as Créneau extensions. Directory data: not journaled.
 */
@Component
class FhirHealthcareServices implements IResourceProvider {

    static final String SCOPE = "system/HealthcareService.rs";
    static final String EXTENSIONS = "https://creneau.org/fhir/StructureDefinition/";
    static final String DURATION = EXTENSIONS + "visit-duration";
    static final String ONLINE_BOOKABLE = EXTENSIONS + "online-bookable";
    static final String NEW_PATIENTS_ALLOWED = EXTENSIONS + "new-patients-allowed";

    private final ConnectedApps registry;
    private final GrantedAgendas agendas;
    private final Directory directory;

    FhirHealthcareServices(ConnectedApps registry, GrantedAgendas agendas, Directory directory) {
        this.registry = registry;
        this.agendas = agendas;
        this.directory = directory;
    }

    @Override
    public Class<HealthcareService> getResourceType() {
        return HealthcareService.class;
    }

    @Search
    public List<HealthcareService> search(
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id,
            @OptionalParam(name = HealthcareService.SP_ORGANIZATION) ReferenceParam organization,
            @Count Integer count) {
        Set<UUID> open = open();
        Map<UUID, List<Site>> sites = new HashMap<>();
        return directory.motivesOf(open).stream()
                .filter(m -> FhirSearch.matches(id, m.id()))
                .filter(m -> FhirSearch.matches(organization, m.organizationId()))
                .limit(FhirSearch.limit(count))
                .map(m -> resource(m, sites.computeIfAbsent(m.practitionerId(), directory::sitesOf)))
                .toList();
    }

    @Read
    public HealthcareService read(@IdParam IdType id) {
        UUID wanted;
        try {
            wanted = UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException(id);
        }
        Set<UUID> open = open();
        return directory
                .motive(wanted)
                .filter(m -> open.contains(m.practitionerId()))
                .map(m -> resource(m, directory.sitesOf(m.practitionerId())))
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    /** The practitioners whose motives the token may see. */
    private Set<UUID> open() {
        return agendas.of(AppToken.current(registry).requireScope(SCOPE), Integer.MAX_VALUE).stream()
                .map(GrantedAgendas.Agenda::practitionerId)
                .collect(Collectors.toSet());
    }

    private static HealthcareService resource(VisitMotive m, List<Site> sites) {
        HealthcareService service = new HealthcareService();
        service.setId(new IdType("HealthcareService", m.id().toString()));
        service.setActive(true);
        service.setProvidedBy(new Reference("Organization/" + m.organizationId()));
        service.setName(m.label());
        if (m.instructions() != null) {
            service.setExtraDetails(m.instructions());
        }
        service.setAppointmentRequired(true);
        for (Site site : sites) {
            service.addLocation(new Reference("Location/" + site.id()));
        }
        Duration duration = new Duration();
        duration.setValue(m.duration().toMinutes())
                .setUnit("min")
                .setSystem("http://unitsofmeasure.org")
                .setCode("min");
        service.addExtension(DURATION, duration);
        service.addExtension(ONLINE_BOOKABLE, new BooleanType(m.onlineBookable()));
        service.addExtension(NEW_PATIENTS_ALLOWED, new BooleanType(m.newPatientsAllowed()));
        return service;
    }
}
