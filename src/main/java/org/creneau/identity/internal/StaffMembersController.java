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
import org.creneau.access.StaffRole;
import org.creneau.identity.Accounts;
import org.creneau.identity.StaffMembers;
import org.creneau.identity.StaffMembers.Member;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The staff administration of the JSON API: HTTP only, over {@link StaffMembers}, for organization admins. */
@RestController
@RequestMapping("/api/v1/staff")
class StaffMembersController {

    private final AccessPolicy policy;
    private final StaffMembers staff;

    StaffMembersController(AccessPolicy policy, StaffMembers staff) {
        this.policy = policy;
        this.staff = staff;
    }

    record NewMember(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 20) String phone,

            @NotNull @Size(min = Accounts.MIN_PASSWORD_LENGTH, max = Accounts.MAX_PASSWORD_LENGTH)
            String password,

            @NotNull StaffRole role,
            UUID practitionerId) {}

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
    Page<Member> members(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        return staff.list(policy.requireOrgAdmin(), paging);
    }

    @PostMapping("/members")
    ResponseEntity<Member> addMember(@Valid @RequestBody NewMember body) {
        Member member = staff.add(
                policy.requireOrgAdmin(),
                new StaffMembers.NewMember(
                        body.email(), body.phone(), body.password(), body.role(), body.practitionerId()));
        return ResponseEntity.status(201).body(member);
    }

    @DeleteMapping("/members/{accountId}")
    ResponseEntity<Void> removeMember(@PathVariable UUID accountId) {
        staff.remove(policy.requireOrgAdmin(), accountId);
        return ResponseEntity.noContent().build();
    }

    record DisabledBody(@NotNull Boolean disabled) {}

    /**
     * Disables a member ({@code true}) or enables one again ({@code false}); answers the member. Not
     * oneself, nor the organization's last active admin (409).
     */
    @PutMapping("/members/{accountId}/disabled")
    Member setDisabled(@PathVariable UUID accountId, @Valid @RequestBody DisabledBody body) {
        var admin = policy.requireOrgAdmin();
        staff.setDisabled(admin, accountId, body.disabled());
        return staff.member(admin, accountId);
    }

    @GetMapping("/agendas/{practitionerId}/rights")
    List<GrantView> grants(@PathVariable UUID practitionerId) {
        return staff.rightsOn(policy.requireOrgAdmin(), practitionerId).stream()
                .map(g -> new GrantView(g.accountId(), g.practitionerId(), g.rights()))
                .toList();
    }

    @PutMapping("/agendas/{practitionerId}/rights/{accountId}")
    GrantView setRights(@PathVariable UUID practitionerId, @PathVariable UUID accountId, @RequestBody RightsBody body) {
        Set<AgendaRight> wanted = body.asSet();
        staff.setRights(policy.requireOrgAdmin(), practitionerId, accountId, wanted);
        return new GrantView(accountId, practitionerId, wanted);
    }

    @PutMapping("/organization/settings")
    OrganizationSettings settings(@RequestBody OrganizationSettings body) {
        staff.setNoShowBlockThreshold(policy.requireOrgAdmin(), body.noShowBlockThreshold());
        return new OrganizationSettings(body.noShowBlockThreshold());
    }
}
