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
import java.util.List;
import java.util.Optional;
import org.creneau.apps.ConnectedApps;
import org.creneau.directory.Directory;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * PractitionerRole: a granted agenda's practitioner at its organization, with the specialty, the
 * sites where it receives and the motives (HealthcareService) it offers. One role per practitioner,
 * under the practitioner's id. {@code system/Practitioner.rs} covers it, as does the narrower
 * {@code system/PractitionerRole.rs}. Directory data: not journaled.
 */
@Component
class FhirPractitionerRoles implements IResourceProvider {

    static final String SCOPE = "system/PractitionerRole.rs";
    static final String SPECIALTY_SYSTEM = "https://creneau.org/fhir/CodeSystem/specialty";

    private final ConnectedApps registry;
    private final GrantedAgendas agendas;
    private final Directory directory;

    FhirPractitionerRoles(ConnectedApps registry, GrantedAgendas agendas, Directory directory) {
        this.registry = registry;
        this.agendas = agendas;
        this.directory = directory;
    }

    @Override
    public Class<PractitionerRole> getResourceType() {
        return PractitionerRole.class;
    }

    @Search
    public List<PractitionerRole> search(
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id,
            @OptionalParam(name = PractitionerRole.SP_PRACTITIONER) ReferenceParam practitioner,
            @Count Integer count) {
        return open().stream()
                .filter(a -> FhirSearch.matches(id, a.practitionerId()))
                .filter(a -> FhirSearch.matches(practitioner, a.practitionerId()))
                .limit(FhirSearch.limit(count))
                .map(a -> directory.practitioner(a.practitionerId()))
                .flatMap(Optional::stream)
                .map(this::resource)
                .toList();
    }

    @Read
    public PractitionerRole read(@IdParam IdType id) {
        return open().stream()
                .filter(a -> a.practitionerId().toString().equals(id.getIdPart()))
                .findFirst()
                .flatMap(a -> directory.practitioner(a.practitionerId()))
                .map(this::resource)
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    private List<GrantedAgendas.Agenda> open() {
        return agendas.of(AppToken.current(registry).requireScope(FhirPractitioners.SCOPE, SCOPE), Integer.MAX_VALUE);
    }

    private PractitionerRole resource(org.creneau.directory.Practitioner p) {
        PractitionerRole role = new PractitionerRole();
        role.setId(new IdType("PractitionerRole", p.id().toString()));
        role.setActive(true);
        role.setPractitioner(new Reference("Practitioner/" + p.id()));
        role.setOrganization(new Reference("Organization/" + p.organizationId()));
        role.addSpecialty()
                .setText(p.specialty().label())
                .addCoding()
                .setSystem(SPECIALTY_SYSTEM)
                .setCode(p.specialty().code())
                .setDisplay(p.specialty().label());
        for (Site site : directory.sitesOf(p.id())) {
            role.addLocation(new Reference("Location/" + site.id()));
        }
        for (VisitMotive motive : directory.motivesOf(p.id())) {
            role.addHealthcareService(new Reference("HealthcareService/" + motive.id()));
        }
        return role;
    }
}
