package org.creneau.guard;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import org.creneau.journal.Journal;

/**
 * The guard switched off, for the benchmark's OFF context only: counts nothing and never contains,
 * so the FHIR read path can be timed without it. Declared in this package to reach the
 * package-private constructor; none of the collaborators is ever used.
 */
public final class NoOpAppGuard extends AppGuard {

    public NoOpAppGuard() {
        super(null, null, null, null, null, null, null);
    }

    @Override
    public void admit(AppCall call) {}

    @Override
    public void observe(
            AppCall call,
            Collection<UUID> appointmentIds,
            Collection<UUID> patientIds,
            UUID named,
            Instant searchedFrom,
            Instant searchedTo) {}

    @Override
    public boolean observe(
            AppCall call,
            Collection<UUID> appointmentIds,
            Collection<UUID> patientIds,
            Collection<UUID> distantAppointmentIds,
            UUID named,
            Instant searchedFrom,
            Instant searchedTo,
            Journal.Pending entry) {
        return false;
    }

    @Override
    public Instant distantPast() {
        return Instant.MIN;
    }

    @Override
    public void introduced(AppCall call, Collection<UUID> appointmentIds, Collection<UUID> patientIds) {}

    @Override
    public void forgive(UUID organizationId, UUID grantId) {}

    @Override
    public void refused(AppCall call) {}
}
