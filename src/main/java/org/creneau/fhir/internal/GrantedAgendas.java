package org.creneau.fhir.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ActiveGrant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The agendas (practitioners) a token's grants open, for one scope: the narrowing of every agenda query. */
@Component
class GrantedAgendas {

    /** An agenda an app may see, with the grant that opens it. */
    record Agenda(UUID practitionerId, UUID organizationId, UUID grantId) {}

    private final TenantScope scope;
    private final JdbcClient jdbc;

    GrantedAgendas(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    List<Agenda> of(List<ActiveGrant> grants, int limit) {
        List<Agenda> agendas = new ArrayList<>();
        // Grants in a fixed order, so every list built from them comes out the same each time.
        List<ActiveGrant> ordered = grants.stream()
                .sorted(Comparator.comparing(g -> g.grantId().toString()))
                .toList();
        for (ActiveGrant grant : ordered) {
            agendas.addAll(scope.read(
                    new Caller.App(grant.organizationId(), grant.grantId()),
                    // Acting through the grant, the directory holds the agendas it opens only (V17).
                    () -> jdbc.sql("SELECT p.id FROM practitioner p ORDER BY p.last_name, p.id LIMIT :limit")
                            .param("limit", limit)
                            .query((rs, i) ->
                                    new Agenda(rs.getObject("id", UUID.class), grant.organizationId(), grant.grantId()))
                            .list()));
        }
        return agendas.stream().limit(limit).toList();
    }
}
