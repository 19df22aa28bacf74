package org.creneau.identity;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffMembershipChanged;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.Practitioner;
import org.creneau.identity.internal.AccountSecurity;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The staff of one organization as its admin manages them: members, their rights agenda by agenda,
 * and the organization's own settings. The JSON API and the pages both call this; the caller has
 * already been checked to be an admin of the organization it acts for.
 */
@Service
public class StaffMembers {

    /** More agendas than one grid can show; an organization this large manages rights through the API. */
    static final int MAX_AGENDAS = 100;

    private final TenantScope scope;
    private final Accounts accounts;
    private final AgendaRights rights;
    private final Directory directory;
    private final DirectoryAdministration administration;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AccountSecurity security;

    StaffMembers(
            TenantScope scope,
            Accounts accounts,
            AgendaRights rights,
            Directory directory,
            DirectoryAdministration administration,
            JdbcClient jdbc,
            ApplicationEventPublisher events,
            Clock clock,
            AccountSecurity security) {
        this.scope = scope;
        this.accounts = accounts;
        this.rights = rights;
        this.directory = directory;
        this.administration = administration;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.security = security;
    }

    /** The emails of the organization's admins, in order; run inside the organization's scope. */
    public List<String> adminEmails() {
        return jdbc.sql("SELECT email FROM staff_member WHERE role = 'ORG_ADMIN' AND NOT disabled"
                        + " AND email IS NOT NULL ORDER BY email")
                .query(String.class)
                .list();
    }

    /** The account of an agenda's own practitioner, if one is a member; run inside the organization's scope. */
    public Optional<UUID> practitionerAccount(UUID practitionerId) {
        return jdbc.sql(
                        "SELECT account_id FROM staff_member WHERE practitioner_id = :p AND role = 'PRACTITIONER' LIMIT 1")
                .param("p", practitionerId)
                .query(UUID.class)
                .optional();
    }

    /** The email of an agenda's own practitioner, if known; run inside the organization's scope. */
    public Optional<String> practitionerEmail(UUID practitionerId) {
        return jdbc.sql("SELECT email FROM staff_member WHERE practitioner_id = :p AND role = 'PRACTITIONER'"
                        + " AND email IS NOT NULL LIMIT 1")
                .param("p", practitionerId)
                .query(String.class)
                .optional();
    }

    /** A member's email, if known; run inside the organization's scope. */
    public Optional<String> email(UUID accountId) {
        return jdbc.sql("SELECT email FROM staff_member WHERE account_id = :a")
                .param("a", accountId)
                .query(String.class)
                .optional();
    }

    /** Who is to join: a practitioner member names the agenda that is theirs, and only they do. */
    public record NewMember(String email, String phone, String password, StaffRole role, UUID practitionerId) {}

    /** A member of the organization; a disabled one keeps its place and rights but cannot act for it. */
    public record Member(UUID accountId, String email, StaffRole role, UUID practitionerId, boolean disabled) {}

    public Page<Member> list(Caller.Staff admin, Paging paging) {
        return scope.read(
                admin,
                () -> Page.of(
                        jdbc.sql("SELECT account_id, email, role, practitioner_id, disabled FROM staff_member"
                                        + " ORDER BY role, email, account_id LIMIT :limit OFFSET :offset")
                                .param("limit", paging.size())
                                .param("offset", paging.offset())
                                .query((rs, i) -> new Member(
                                        rs.getObject("account_id", UUID.class),
                                        rs.getString("email"),
                                        StaffRole.valueOf(rs.getString("role")),
                                        rs.getObject("practitioner_id", UUID.class),
                                        rs.getBoolean("disabled")))
                                .list(),
                        paging,
                        jdbc.sql("SELECT count(*) FROM staff_member")
                                .query(Long.class)
                                .single()));
    }

    /** A new account that is a member at once; a practitioner gets every right on their own agenda. */
    public Member add(Caller.Staff admin, NewMember member) {
        if (member.role() == null) {
            throw new InvalidInputException("role", "is required");
        }
        if (member.phone() == null || member.phone().isBlank() || member.phone().length() > 20) {
            throw new InvalidInputException("phone", "must be a phone number of at most 20 characters");
        }
        if ((member.role() == StaffRole.PRACTITIONER) != (member.practitionerId() != null)) {
            throw new InvalidInputException("practitionerId", "is required for a practitioner and only for one");
        }
        return scope.write(admin, () -> {
            if (member.practitionerId() != null) {
                requireAgendaOf(admin, member.practitionerId());
            }
            UUID account = accounts.create(member.email(), member.phone(), member.password(), AccountKind.STAFF);
            accounts.addStaffMembership(
                    admin.organizationId(), account, member.email(), member.role(), member.practitionerId());
            if (member.practitionerId() != null) {
                rights.set(
                        admin.organizationId(),
                        account,
                        member.practitionerId(),
                        EnumSet.allOf(AgendaRight.class),
                        admin.accountId());
            }
            events.publishEvent(new StaffMembershipChanged(
                    StaffMembershipChanged.Kind.MEMBER_ADDED,
                    admin.organizationId(),
                    account,
                    member.role(),
                    admin.accountId(),
                    clock.instant()));
            return new Member(account, member.email().trim(), member.role(), member.practitionerId(), false);
        });
    }

    /**
     * The member leaves the organization; each agenda's practitioner is told of the rights lost. The
     * member's sessions follow at their next request (the account's security stamp moved): they end
     * when no membership is left, and are ended at once then. Not oneself, and never the last admin.
     */
    public void remove(Caller.Staff admin, UUID accountId) {
        if (accountId.equals(admin.accountId())) {
            throw new ConflictException("self", "An admin does not remove themselves.");
        }
        scope.write(admin, () -> {
            requireMember(accountId);
            keepAnAdmin(accountId);
            rights.revokeAll(admin.organizationId(), accountId, admin.accountId());
            jdbc.sql("DELETE FROM staff_member WHERE account_id = :a")
                    .param("a", accountId)
                    .update();
            events.publishEvent(new StaffMembershipChanged(
                    StaffMembershipChanged.Kind.MEMBER_REMOVED,
                    admin.organizationId(),
                    accountId,
                    null,
                    admin.accountId(),
                    clock.instant()));
        });
        // After the commit: a session with no membership left is of no use to anyone.
        security.endSessionsWithoutAccess(accountId);
    }

    /**
     * Disables a member (or enables one again): a disabled member keeps their place and rights but
     * cannot act for the organization, and their sessions follow at their next request (ended at once
     * when no other organization's membership is left). Not oneself, and never the last admin.
     */
    public void setDisabled(Caller.Staff admin, UUID accountId, boolean disabled) {
        if (accountId.equals(admin.accountId())) {
            throw new ConflictException("self", "An admin does not disable themselves.");
        }
        boolean changed = scope.write(admin, () -> {
            requireMember(accountId);
            if (disabled) {
                keepAnAdmin(accountId);
            }
            StaffRole role = jdbc.sql("SELECT role FROM staff_member WHERE account_id = :a")
                    .param("a", accountId)
                    .query((rs, i) -> StaffRole.valueOf(rs.getString(1)))
                    .single();
            int updated = jdbc.sql("UPDATE staff_member SET disabled = :d WHERE account_id = :a AND disabled <> :d")
                    .param("d", disabled)
                    .param("a", accountId)
                    .update();
            if (updated > 0) {
                events.publishEvent(new StaffMembershipChanged(
                        disabled
                                ? StaffMembershipChanged.Kind.MEMBER_DISABLED
                                : StaffMembershipChanged.Kind.MEMBER_ENABLED,
                        admin.organizationId(),
                        accountId,
                        role,
                        admin.accountId(),
                        clock.instant()));
            }
            return updated > 0;
        });
        if (changed && disabled) {
            security.endSessionsWithoutAccess(accountId);
        }
    }

    public List<AgendaRights.Grant> rightsOn(Caller.Staff admin, UUID practitionerId) {
        return scope.read(admin, () -> {
            requireAgendaOf(admin, practitionerId);
            return rights.grantsOn(practitionerId);
        });
    }

    public void setRights(Caller.Staff admin, UUID practitionerId, UUID accountId, Set<AgendaRight> wanted) {
        scope.write(admin, () -> {
            requireAgendaOf(admin, practitionerId);
            requireMember(accountId);
            rights.set(admin.organizationId(), accountId, practitionerId, wanted, admin.accountId());
        });
    }

    /** After how many no-shows online booking is blocked for a patient of the organization; null: never. */
    public void setNoShowBlockThreshold(Caller.Staff admin, Integer threshold) {
        if (threshold != null && (threshold < 1 || threshold > 100)) {
            throw new InvalidInputException("noShowBlockThreshold", "must be between 1 and 100, or null for never");
        }
        scope.write(admin, () -> administration.setNoShowBlockThreshold(admin.organizationId(), threshold));
    }

    /** One member of the admin's organization; a stranger to it answers like a missing one. */
    public Member member(Caller.Staff admin, UUID accountId) {
        return scope.read(
                admin,
                () -> jdbc.sql(
                                "SELECT account_id, email, role, practitioner_id, disabled FROM staff_member WHERE account_id = :a")
                        .param("a", accountId)
                        .query((rs, i) -> new Member(
                                rs.getObject("account_id", UUID.class),
                                rs.getString("email"),
                                StaffRole.valueOf(rs.getString("role")),
                                rs.getObject("practitioner_id", UUID.class),
                                rs.getBoolean("disabled")))
                        .optional()
                        .orElseThrow(() -> new NotFoundException("member")));
    }

    /** The organization's agendas, for its admin: the columns of the rights grid. */
    public List<Practitioner> agendas(Caller.Staff admin) {
        return directory.practitionersOf(admin.organizationId(), MAX_AGENDAS);
    }

    private void requireAgendaOf(Caller.Staff admin, UUID practitionerId) {
        directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(admin.organizationId()))
                .orElseThrow(() -> new NotFoundException("agenda"));
    }

    /**
     * Refuses to take the organization's last active admin away. The organization's admins are locked
     * first, so two admins removing or disabling each other at once cannot both succeed.
     */
    private void keepAnAdmin(UUID leaving) {
        List<UUID> admins = jdbc.sql("""
                        SELECT account_id FROM staff_member WHERE role = 'ORG_ADMIN' AND NOT disabled
                         ORDER BY account_id FOR UPDATE
                        """).query(UUID.class).list();
        if (admins.contains(leaving) && admins.size() == 1) {
            throw new ConflictException("last-admin", "The organization keeps at least one active admin.");
        }
    }

    private void requireMember(UUID accountId) {
        boolean member = jdbc.sql("SELECT EXISTS (SELECT 1 FROM staff_member WHERE account_id = :a)")
                .param("a", accountId)
                .query(Boolean.class)
                .single();
        if (!member) {
            throw new NotFoundException("member");
        }
    }
}
