package org.creneau.guard.internal;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells which of the records a caller just read are canary records (decoys, see
 * {@link CanarySeeding}). No legitimate flow returns a decoy, so any read of one is a sweep: the
 * guard suspends the reader.
 */
@Component
public class CanaryRecords {

    private final TenantScope scope;
    private final JdbcClient jdbc;

    CanaryRecords(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /**
     * The decoys among the given appointment and patient (organization file entry) ids of one
     * organization, in one query as the platform acting for that organization; nothing is asked
     * of the database when both collections are empty. Call it outside another organization's
     * transaction: joined work keeps that transaction's caller, and would find nothing.
     */
    public Set<UUID> touched(UUID organizationId, Collection<UUID> appointmentIds, Collection<UUID> patientIds) {
        if (appointmentIds.isEmpty() && patientIds.isEmpty()) {
            return Set.of();
        }
        return scope.read(
                new Caller.System(organizationId),
                () -> Set.copyOf(jdbc.sql("""
                                SELECT id FROM appointment
                                 WHERE organization_id = :org AND decoy AND id = ANY (:appointments)
                                UNION ALL
                                SELECT id FROM org_patient
                                 WHERE organization_id = :org AND decoy AND id = ANY (:patients)
                                """)
                        .param("org", organizationId)
                        .param("appointments", appointmentIds.toArray(UUID[]::new))
                        .param("patients", patientIds.toArray(UUID[]::new))
                        .query(UUID.class)
                        .list()));
    }
}
