package org.creneau.access;

import java.time.Instant;
import java.util.UUID;

/**
 * A staff member joined or left an organization, was disabled or enabled again, was invited or had an
 * invitation revoked (no account yet: {@code accountId} is null), or the organization's settings
 * changed: identifiers only.
 */
public record StaffMembershipChanged(
        Kind kind, UUID organizationId, UUID accountId, StaffRole role, UUID actorAccountId, Instant occurredAt) {

    public enum Kind {
        MEMBER_ADDED,
        MEMBER_REMOVED,
        MEMBER_DISABLED,
        MEMBER_ENABLED,
        MEMBER_INVITED,
        INVITATION_REVOKED,
        ORGANIZATION_SETTINGS_CHANGED
    }
}
