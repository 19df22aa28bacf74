package org.creneau.journal;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;

/**
 * The journal switched off, for the benchmark's OFF context only: records nothing, so the FHIR read
 * path can be timed without its appends. Declared in this package to reach the package-private
 * constructor; none of the collaborators is ever used.
 */
public final class NoOpJournal extends Journal {

    public NoOpJournal() {
        super(null, null, null, null);
    }

    @Override
    public long freeze(UUID organizationId, UUID actorId, String reason) {
        return 0;
    }

    @Override
    public void record(
            Caller caller,
            String route,
            String purpose,
            String resourceType,
            Collection<UUID> resourceIds,
            List<String> fields,
            String outcome) {}

    @Override
    public Pending pending(AccessRecord r) {
        return null;
    }

    @Override
    public long append(AccessRecord r) {
        return 0;
    }
}
