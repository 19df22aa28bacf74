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
     * organization, in one call of {@code canaries_among} as the platform acting for that
     * organization (it answers for the ids given only, so it cannot list canaries); nothing is asked
     * of the database when both collections are empty. Call it outside another organization's
     * transaction: joined work keeps that transaction's caller, and would find nothing.
     */
    public Set<UUID> touched(UUID organizationId, Collection<UUID> appointmentIds, Collection<UUID> patientIds) {
        if (appointmentIds.isEmpty() && patientIds.isEmpty()) {
            return Set.of();
        }
        return scope.read(
                new Caller.System(organizationId),
                // Decoys are hidden from every query (V17); this function is the check's one way in.
                () -> Set.copyOf(jdbc.sql("SELECT id FROM canaries_among(:appointments, :patients)")
                        .param("appointments", appointmentIds.toArray(UUID[]::new))
                        .param("patients", patientIds.toArray(UUID[]::new))
                        .query(UUID.class)
                        .list()));
    }
}
