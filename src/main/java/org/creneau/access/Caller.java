package org.creneau.access;

import java.util.UUID;

/**
 * Who a request acts for. Every query of tenant data runs inside {@link TenantScope} with one
 * caller, and PostgreSQL row-level security sees the same caller.
 */
public sealed interface Caller {

    /** Nobody signed in: public directory and search only. */
    record Anonymous() implements Caller {}

    /** A patient account: its own data and its relatives', across practices. */
    record Patient(UUID accountId) implements Caller {}

    /** An account reading its own records only, e.g. at login before a role is chosen. */
    record AccountOwner(UUID accountId) implements Caller {}

    /** A member of a practice's staff, acting for one organization. */
    record Staff(UUID accountId, UUID organizationId, StaffRole role, UUID practitionerId) implements Caller {}

    /**
     * The platform itself acting for one organization (demo data, scheduled work), or carrying out a
     * connected app's change under the practice's own rules ({@code forApp}: the app and grant the
     * history of appointments and patients names as the change's author; null otherwise). Never sees a
     * decoy.
     */
    record System(UUID organizationId, ForApp forApp) implements Caller {

        public System(UUID organizationId) {
            this(organizationId, null);
        }
    }

    /** The connected app, and its grant, a change of {@link System} is made for. */
    record ForApp(UUID appId, UUID grantId) {}

    /**
     * A connected app acting through its grant of one organization: row-level security narrows every
     * statement to the agendas the grant opens, and to nothing once the grant or the app is not
     * active. It sees decoys (canary records) on those agendas: every answer to an app passes the
     * guard, which is how a sweep meets one and is contained.
     */
    record App(UUID organizationId, UUID grantId) implements Caller {}

    /**
     * The guard placing and moving one organization's canary records: the only caller that writes
     * decoys, and with {@link App} the only one that sees them.
     */
    record CanaryKeeper(UUID organizationId) implements Caller {}

    Caller ANONYMOUS = new Anonymous();
}
