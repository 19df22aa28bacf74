package org.creneau.journal;

import java.util.List;
import java.util.UUID;

/**
 * One access to patient or appointment data: who (account or app, and the grant used), for which
 * organization, by which route and for what purpose, which resources, the names of the fields
 * returned (never their values), and how it ended.
 */
public record AccessRecord(
        ActorKind actorKind,
        UUID actorId,
        String actorRole,
        UUID grantId,
        UUID organizationId,
        String route,
        String purpose,
        String resourceType,
        List<UUID> resourceIds,
        List<String> fields,
        String outcome) {

    public enum ActorKind {
        ACCOUNT,
        APP,
        PLATFORM
    }

    public AccessRecord {
        resourceIds = List.copyOf(resourceIds);
        fields = List.copyOf(fields);
    }
}
