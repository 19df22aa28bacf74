package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.UUID;
import org.creneau.apps.ConnectedApps;
import org.creneau.directory.Directory;
import org.creneau.directory.Site;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.springframework.stereotype.Component;

/** Schedule: one per agenda (a practitioner's), visible only within the token's grants. */
@Component
class FhirSchedules implements IResourceProvider {

    static final String SCOPE = "system/Schedule.rs";

    private final ConnectedApps registry;
    private final GrantedAgendas agendas;
    private final Directory directory;

    FhirSchedules(ConnectedApps registry, GrantedAgendas agendas, Directory directory) {
        this.registry = registry;
        this.agendas = agendas;
        this.directory = directory;
    }

    @Override
    public Class<Schedule> getResourceType() {
        return Schedule.class;
    }

    @Search
    public List<Schedule> search(@Count Integer count) {
        int limit = FhirSearch.limit(count);
        return agendas.of(AppToken.current(registry).requireScope(SCOPE), limit).stream()
                .map(a -> resource(a.practitionerId()))
                .toList();
    }

    @Read
    public Schedule read(@IdParam IdType id) {
        List<GrantedAgendas.Agenda> open =
                agendas.of(AppToken.current(registry).requireScope(SCOPE), Integer.MAX_VALUE);
        return open.stream()
                .filter(a -> a.practitionerId().toString().equals(id.getIdPart()))
                .findFirst()
                .map(a -> resource(a.practitionerId()))
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    private Schedule resource(UUID practitionerId) {
        Schedule schedule = new Schedule();
        schedule.setId(new IdType("Schedule", practitionerId.toString()));
        schedule.setActive(true);
        schedule.addActor(new Reference("Practitioner/" + practitionerId));
        for (Site site : directory.sitesOf(practitionerId)) {
            schedule.addActor(new Reference("Location/" + site.id()));
        }
        return schedule;
    }
}
