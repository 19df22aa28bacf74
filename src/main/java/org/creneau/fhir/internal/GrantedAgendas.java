package org.creneau.fhir.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.apps.ActiveGrant;
import org.creneau.directory.Directory;
import org.springframework.stereotype.Component;

/** The agendas (practitioners) a token's grants open, for one scope: the narrowing of every agenda query. */
@Component
class GrantedAgendas {

    /** An agenda an app may see, with the grant that opens it. */
    record Agenda(UUID practitionerId, UUID organizationId, UUID grantId) {}

    private final Directory directory;

    GrantedAgendas(Directory directory) {
        this.directory = directory;
    }

    List<Agenda> of(List<ActiveGrant> grants, int limit) {
        List<Agenda> agendas = new ArrayList<>();
        // Grants in a fixed order, so every list built from them comes out the same each time.
        List<ActiveGrant> ordered = grants.stream()
                .sorted(Comparator.comparing(g -> g.grantId().toString()))
                .toList();
        for (ActiveGrant grant : ordered) {
            // Acting through the grant, the directory holds the agendas it opens only (V17).
            directory.agendasSeenBy(new Caller.App(grant.organizationId(), grant.grantId()), limit).stream()
                    .map(id -> new Agenda(id, grant.organizationId(), grant.grantId()))
                    .forEach(agendas::add);
        }
        return agendas.stream().limit(limit).toList();
    }
}
