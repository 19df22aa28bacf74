package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApps;
import org.creneau.directory.Directory;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.springframework.stereotype.Component;

/**
 * Organization: the organizations that granted the app {@code system/Organization.rs}, and no
 * other. Directory data, not patient data: not journaled.
 */
@Component
class FhirOrganizations implements IResourceProvider {

    static final String SCOPE = "system/Organization.rs";
    private static final String TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/organization-type";

    private final ConnectedApps registry;
    private final Directory directory;

    FhirOrganizations(ConnectedApps registry, Directory directory) {
        this.registry = registry;
        this.directory = directory;
    }

    @Override
    public Class<Organization> getResourceType() {
        return Organization.class;
    }

    @Search
    public List<Organization> search(
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id, @Count Integer count) {
        return open().stream()
                .filter(o -> FhirSearch.matches(id, o.id()))
                .limit(FhirSearch.limit(count))
                .map(FhirOrganizations::resource)
                .toList();
    }

    @Read
    public Organization read(@IdParam IdType id) {
        return open().stream()
                .filter(o -> o.id().toString().equals(id.getIdPart()))
                .findFirst()
                .map(FhirOrganizations::resource)
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    /** The granting organizations, by name: an agenda-limited grant still opens its organization. */
    private List<org.creneau.directory.Organization> open() {
        return AppToken.current(registry).requireScope(SCOPE).stream()
                .map(ActiveGrant::organizationId)
                .distinct()
                .map(directory::organization)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(org.creneau.directory.Organization::name)
                        .thenComparing(o -> o.id().toString()))
                .toList();
    }

    private static Organization resource(org.creneau.directory.Organization o) {
        Organization organization = new Organization();
        organization.setId(new IdType("Organization", o.id().toString()));
        organization.setActive(true);
        organization.setName(o.name());
        organization
                .addType()
                .setText(
                        switch (o.kind()) {
                            case PRACTICE -> "practice";
                            case HEALTH_CENTRE -> "health centre";
                            case HOSPITAL -> "hospital";
                        })
                .addCoding()
                .setSystem(TYPE_SYSTEM)
                .setCode("prov")
                .setDisplay("Healthcare Provider");
        return organization;
    }
}
