package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.creneau.apps.ConnectedApps;
import org.creneau.directory.Directory;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Practitioner;
import org.springframework.stereotype.Component;

/**
 * Practitioner: the practitioners of the token's granted agendas, with {@code
 * system/Practitioner.rs}: name, RPPS number and languages. Professional directory data, not
 * patient data: not journaled.
 */
@Component
class FhirPractitioners implements IResourceProvider {

    static final String SCOPE = "system/Practitioner.rs";
    /** The French national directory of health professionals (RPPS). */
    static final String RPPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1";

    private static final String LANGUAGE_SYSTEM = "urn:ietf:bcp:47";

    private final ConnectedApps registry;
    private final GrantedAgendas agendas;
    private final Directory directory;

    FhirPractitioners(ConnectedApps registry, GrantedAgendas agendas, Directory directory) {
        this.registry = registry;
        this.agendas = agendas;
        this.directory = directory;
    }

    @Override
    public Class<Practitioner> getResourceType() {
        return Practitioner.class;
    }

    @Search
    public List<Practitioner> search(
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id, @Count Integer count) {
        return open().stream()
                .filter(a -> FhirSearch.matches(id, a.practitionerId()))
                .limit(FhirSearch.limit(count))
                .map(a -> directory.practitioner(a.practitionerId()))
                .flatMap(Optional::stream)
                .map(FhirPractitioners::resource)
                .toList();
    }

    @Read
    public Practitioner read(@IdParam IdType id) {
        return open().stream()
                .filter(a -> a.practitionerId().toString().equals(id.getIdPart()))
                .findFirst()
                .flatMap(a -> directory.practitioner(a.practitionerId()))
                .map(FhirPractitioners::resource)
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    private List<GrantedAgendas.Agenda> open() {
        return agendas.of(AppToken.current(registry).requireScope(SCOPE), Integer.MAX_VALUE);
    }

    private static Practitioner resource(org.creneau.directory.Practitioner p) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(new IdType("Practitioner", p.id().toString()));
        practitioner.setActive(true);
        practitioner.addIdentifier().setSystem(RPPS_SYSTEM).setValue(p.rpps());
        practitioner.addName().setFamily(p.lastName()).addGiven(p.firstName());
        for (String language : p.languages()) {
            practitioner
                    .addCommunication()
                    .addCoding()
                    .setSystem(LANGUAGE_SYSTEM)
                    .setCode(language);
        }
        return practitioner;
    }
}
