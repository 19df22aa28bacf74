package org.creneau.identity.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffMembershipChanged;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.directory.Directory;
import org.creneau.identity.Accounts;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization admin manages the staff of that organization only: members, and their rights
 * agenda by agenda. A practitioner member gets every right on their own agenda.
 */
@RestController
@RequestMapping("/api/v1/staff")
class StaffMembersController {

    private final AccessPolicy policy;
    private final TenantScope scope;
    private final Accounts accounts;
    private final AgendaRights rights;
    private final Directory directory;
    private final JdbcClient jdbc;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final java.time.Clock clock;

    StaffMembersController(
            AccessPolicy policy,
            TenantScope scope,
            Accounts accounts,
            AgendaRights rights,
            Directory directory,
            JdbcClient jdbc,
            org.springframework.context.ApplicationEventPublisher events,
            java.time.Clock clock) {
        this.events = events;
        this.clock = clock;
        this.policy = policy;
        this.scope = scope;
        this.accounts = accounts;
        this.rights = rights;
        this.directory = directory;
        this.jdbc = jdbc;
    }

    record NewMember(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 20) String phone,

            @NotNull @Size(min = Accounts.MIN_PASSWORD_LENGTH, max = Accounts.MAX_PASSWORD_LENGTH)
            String password,

            @NotNull StaffRole role,
            UUID practitionerId) {}

    record Member(UUID accountId, String email, StaffRole role, UUID practitionerId) {}

    record RightsBody(boolean viewAppointments, boolean manageAppointments, boolean manageSettings) {
        Set<AgendaRight> asSet() {
            Set<AgendaRight> set = EnumSet.noneOf(AgendaRight.class);
            if (viewAppointments) {
                set.add(AgendaRight.VIEW_APPOINTMENTS);
            }
            if (manageAppointments) {
                set.add(AgendaRight.MANAGE_APPOINTMENTS);
            }
            if (manageSettings) {
                set.add(AgendaRight.MANAGE_SETTINGS);
            }
            return set;
        }
    }

    record GrantView(UUID accountId, UUID practitionerId, Set<AgendaRight> rights) {}

    record OrganizationSettings(Integer noShowBlockThreshold) {}

    @GetMapping("/members")
    Page<Member> members(
            @org.springframework.web.bind.annotation.RequestParam(required = false) Integer page,
            @org.springframework.web.bind.annotation.RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        Caller.Staff admin = policy.requireOrgAdmin();
        return scope.read(
                admin,
                () -> Page.of(
                        jdbc.sql("SELECT account_id, email, role, practitioner_id FROM staff_member"
                                        + " ORDER BY role, email, account_id LIMIT :limit OFFSET :offset")
                                .param("limit", paging.size())
                                .param("offset", paging.offset())
                                .query((rs, i) -> new Member(
                                        rs.getObject("account_id", UUID.class),
                                        rs.getString("email"),
                                        StaffRole.valueOf(rs.getString("role")),
                                        rs.getObject("practitioner_id", UUID.class)))
                                .list(),
                        paging,
                        jdbc.sql("SELECT count(*) FROM staff_member")
                                .query(Long.class)
                                .single()));
    }

    @PostMapping("/members")
    ResponseEntity<Member> addMember(@Valid @RequestBody NewMember body) {
        Caller.Staff admin = policy.requireOrgAdmin();
        if ((body.role() == StaffRole.PRACTITIONER) != (body.practitionerId() != null)) {
            throw new InvalidInputException("practitionerId", "is required for a practitioner and only for one");
        }
        Member member = scope.write(admin, () -> {
            if (body.practitionerId() != null) {
                requireAgendaOf(admin, body.practitionerId());
            }
            UUID account = accounts.create(body.email(), body.phone(), body.password(), AccountKind.STAFF);
            accounts.addStaffMembership(
                    admin.organizationId(), account, body.email(), body.role(), body.practitionerId());
            if (body.practitionerId() != null) {
                rights.set(
                        admin.organizationId(),
                        account,
                        body.practitionerId(),
                        EnumSet.allOf(AgendaRight.class),
                        admin.accountId());
            }
            events.publishEvent(new StaffMembershipChanged(
                    StaffMembershipChanged.Kind.MEMBER_ADDED,
                    admin.organizationId(),
                    account,
                    body.role(),
                    admin.accountId(),
                    clock.instant()));
            return new Member(account, body.email().trim(), body.role(), body.practitionerId());
        });
        return ResponseEntity.status(201).body(member);
    }

    @DeleteMapping("/members/{accountId}")
    ResponseEntity<Void> removeMember(@PathVariable UUID accountId) {
        Caller.Staff admin = policy.requireOrgAdmin();
        scope.write(admin, () -> {
            requireMember(accountId);
            // Each agenda's practitioner is told of the rights this member loses.
            List<UUID> agendas = jdbc.sql("SELECT practitioner_id FROM agenda_right WHERE account_id = :a")
                    .param("a", accountId)
                    .query(UUID.class)
                    .list();
            for (UUID agenda : agendas) {
                rights.set(admin.organizationId(), accountId, agenda, Set.of(), admin.accountId());
            }
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
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/agendas/{practitionerId}/rights")
    List<GrantView> grants(@PathVariable UUID practitionerId) {
        Caller.Staff admin = policy.requireOrgAdmin();
        return scope.read(admin, () -> {
            requireAgendaOf(admin, practitionerId);
            return rights.grantsOn(practitionerId).stream()
                    .map(g -> new GrantView(g.accountId(), g.practitionerId(), g.rights()))
                    .toList();
        });
    }

    @PutMapping("/agendas/{practitionerId}/rights/{accountId}")
    GrantView setRights(@PathVariable UUID practitionerId, @PathVariable UUID accountId, @RequestBody RightsBody body) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Set<AgendaRight> wanted = body.asSet();
        scope.write(admin, () -> {
            requireAgendaOf(admin, practitionerId);
            requireMember(accountId);
            rights.set(admin.organizationId(), accountId, practitionerId, wanted, admin.accountId());
        });
        return new GrantView(accountId, practitionerId, wanted);
    }

    @PutMapping("/organization/settings")
    OrganizationSettings settings(@RequestBody OrganizationSettings body) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Integer threshold = body.noShowBlockThreshold();
        if (threshold != null && (threshold < 1 || threshold > 100)) {
            throw new InvalidInputException("noShowBlockThreshold", "must be between 1 and 100, or null for never");
        }
        scope.write(
                admin,
                () -> jdbc.sql("UPDATE organization SET no_show_block_threshold = :n WHERE id = :org")
                        .param("n", threshold, java.sql.Types.INTEGER)
                        .param("org", admin.organizationId())
                        .update());
        return new OrganizationSettings(threshold);
    }

    private void requireAgendaOf(Caller.Staff admin, UUID practitionerId) {
        directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(admin.organizationId()))
                .orElseThrow(() -> new NotFoundException("agenda"));
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
