package org.creneau.access;

import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Deny by default: turns the request's authentication into the one {@link Caller} it may act
 * as. A request that asks for a role it does not hold is answered as if the object did not exist.
 */
@Component
public class AccessPolicy {

    /** Names the organization a staff member of several organizations acts for. */
    public static final String ORGANIZATION_HEADER = "X-Organization-Id";

    /** The caller of the current request: anonymous unless a session proves otherwise. */
    public Caller currentCaller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof SignedInAccount account)) {
            return Caller.ANONYMOUS;
        }
        return switch (account.kind()) {
            case PATIENT -> new Caller.Patient(account.accountId());
            case STAFF, PLATFORM_ADMIN -> chosenMembership(account);
        };
    }

    /** The current caller as a patient, or an {@link AccessRefused} (answered 403). */
    public Caller.Patient requirePatient() {
        if (currentCaller() instanceof Caller.Patient patient) {
            return patient;
        }
        throw new AccessRefused();
    }

    /** The current caller as staff of the given organization, or refused. */
    public Caller.Staff requireStaff() {
        if (currentCaller() instanceof Caller.Staff staff) {
            return staff;
        }
        throw new AccessRefused();
    }

    /** The current caller as staff acting for {@code organizationId}, if they are a member. */
    public Caller.Staff requireStaffOf(UUID organizationId) {
        Caller.Staff staff = requireStaff();
        if (!staff.organizationId().equals(organizationId)) {
            throw new AccessRefused();
        }
        return staff;
    }

    /**
     * The organization header picks one of several memberships; one membership needs none. A header
     * naming an organization the account is not a member of, or several memberships and no header,
     * act for no organization (staff routes then refuse).
     */
    private static Caller chosenMembership(SignedInAccount account) {
        String chosen = null;
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
            chosen = request.getRequest().getHeader(ORGANIZATION_HEADER);
        }
        for (SignedInAccount.Membership m : account.memberships()) {
            if (chosen == null
                    ? account.memberships().size() == 1
                    : m.organizationId().toString().equals(chosen)) {
                return staff(account, m);
            }
        }
        return Caller.ANONYMOUS;
    }

    /**
     * The current caller as an administrator of their organization. Other staff are answered as
     * if what they asked for did not exist, like staff without rights on an agenda.
     */
    public Caller.Staff requireOrgAdmin() {
        Caller.Staff staff = requireStaff();
        if (staff.role() != StaffRole.ORG_ADMIN) {
            throw new org.creneau.platform.NotFoundException("resource");
        }
        return staff;
    }

    /**
     * The signed-in platform administrator's account id, or refused (403). A platform admin acts
     * on platform data only (the registry of connected apps), never for an organization.
     */
    public UUID requirePlatformAdmin() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null
                && auth.getPrincipal() instanceof SignedInAccount account
                && account.kind() == SignedInAccount.AccountKind.PLATFORM_ADMIN) {
            return account.accountId();
        }
        throw new AccessRefused();
    }

    private static Caller.Staff staff(SignedInAccount account, SignedInAccount.Membership m) {
        return new Caller.Staff(account.accountId(), m.organizationId(), m.role(), m.practitionerId());
    }
}
