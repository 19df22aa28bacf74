package org.creneau.access;

import java.time.Instant;
import java.util.UUID;

/** A staff member joined or left an organization, or its settings changed: identifiers only. */
public record StaffMembershipChanged(
        Kind kind, UUID organizationId, UUID accountId, StaffRole role, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        MEMBER_ADDED,
        MEMBER_REMOVED,
        ORGANIZATION_SETTINGS_CHANGED
    }
}
