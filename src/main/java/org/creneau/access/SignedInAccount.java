package org.creneau.access;

import java.io.Serializable;
import java.util.List;
import java.util.UUID;

/**
 * The principal kept in the session after login: identifiers only, never personal data.
 *
 * @param memberships the organizations a staff account works for (empty for a patient)
 */
public record SignedInAccount(UUID accountId, AccountKind kind, List<Membership> memberships) implements Serializable {

    public enum AccountKind {
        PATIENT,
        STAFF,
        PLATFORM_ADMIN
    }

    public record Membership(UUID organizationId, StaffRole role, UUID practitionerId) implements Serializable {}

    public SignedInAccount {
        memberships = List.copyOf(memberships);
    }
}
