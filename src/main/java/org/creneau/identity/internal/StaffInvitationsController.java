package org.creneau.identity.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.StaffRole;
import org.creneau.identity.StaffInvitations;
import org.creneau.identity.StaffInvitations.Invitation;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Staff invitations in the JSON API: HTTP only, over {@link StaffInvitations}, for organization admins. */
@RestController
@RequestMapping("/api/v1/staff/invitations")
class StaffInvitationsController {

    private final AccessPolicy policy;
    private final StaffInvitations invitations;

    StaffInvitationsController(AccessPolicy policy, StaffInvitations invitations) {
        this.policy = policy;
        this.invitations = invitations;
    }

    record AgendaRights(
            @NotNull UUID practitionerId,
            @NotNull @Size(max = 3) Set<AgendaRight> rights) {}

    record NewInvitation(
            @NotBlank @Size(max = 254) String email,
            @NotNull StaffRole role,
            UUID practitionerId,
            @Size(max = 100) List<@Valid AgendaRights> agendaRights) {}

    record InvitationView(
            UUID id,
            String email,
            StaffRole role,
            UUID practitionerId,
            StaffInvitations.State state,
            Instant createdAt,
            Instant expiresAt,
            List<AgendaRights> agendaRights) {

        static InvitationView of(Invitation i) {
            return new InvitationView(
                    i.id(),
                    i.email(),
                    i.role(),
                    i.practitionerId(),
                    i.state(),
                    i.createdAt(),
                    i.expiresAt(),
                    i.agendaRights().entrySet().stream()
                            .map(e -> new AgendaRights(e.getKey(), e.getValue()))
                            .toList());
        }
    }

    @GetMapping
    Page<InvitationView> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Page<Invitation> found = invitations.list(policy.requireOrgAdmin(), Paging.of(page, size));
        return new Page<>(found.items().stream().map(InvitationView::of).toList(), found.page());
    }

    @PostMapping
    ResponseEntity<InvitationView> invite(@Valid @RequestBody NewInvitation body) {
        Map<UUID, Set<AgendaRight>> rights = new LinkedHashMap<>();
        if (body.agendaRights() != null) {
            body.agendaRights().forEach(r -> rights.put(r.practitionerId(), r.rights()));
        }
        Invitation invitation = invitations.invite(
                policy.requireOrgAdmin(),
                new StaffInvitations.NewInvitation(body.email(), body.role(), body.practitionerId(), rights));
        return ResponseEntity.status(201).body(InvitationView.of(invitation));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        invitations.revoke(policy.requireOrgAdmin(), id);
        return ResponseEntity.noContent().build();
    }
}
