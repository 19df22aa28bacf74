package org.creneau.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.StaffRole;
import org.creneau.directory.Practitioner;
import org.creneau.identity.StaffInvitations;
import org.creneau.identity.StaffMembers;
import org.creneau.identity.StaffMembers.Member;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The organization admin's team page: the staff (paged), a member added with a role, the rights on each
 * agenda as a grid saved member by member, a member disabled or enabled again, a member removed (their
 * sessions follow at their next request), and invitations by email (the 20 newest listed with their
 * state, a pending one revocable). The same
 * {@link StaffMembers} calls and {@link AccessPolicy#requireOrgAdmin} check as the JSON API: anyone else
 * gets 404.
 */
@Controller
@StaffPage
@RequestMapping("/cabinet/equipe")
class TeamPages {

    static final String PAGE = "/cabinet/equipe";

    private final AccessPolicy policy;
    private final StaffMembers staff;
    private final StaffInvitations invitations;

    private final ZoneId zone;

    TeamPages(
            AccessPolicy policy,
            StaffMembers staff,
            StaffInvitations invitations,
            @Value("${creneau.default-time-zone}") String zone) {
        this.zone = ZoneId.of(zone);
        this.policy = policy;
        this.staff = staff;
        this.invitations = invitations;
    }

    /** One invitation as the list shows it: when it expires, in the platform's time zone. */
    record InvitationRow(UUID id, String email, StaffRole role, StaffInvitations.State state, LocalDateTime expires) {}

    /** What the invitation form holds, so a refused form comes back as typed. */
    record InviteForm(String email, String role, String practitionerId) {
        static final InviteForm EMPTY = new InviteForm("", "SECRETARY", "");
    }

    /** What the add form holds, so a refused form comes back as typed (never the password). */
    record MemberForm(String email, String phone, String role, String practitionerId) {
        static final MemberForm EMPTY = new MemberForm("", "", "SECRETARY", "");
    }

    /** One agenda of the grid, named for its column. */
    record Agenda(UUID id, String name) {}

    /** One member's rights on one agenda: the three checkboxes of a cell. */
    record Cell(Agenda agenda, Set<AgendaRight> rights) {
        public boolean has(AgendaRight right) {
            return rights.contains(right);
        }
    }

    /** One row of the grid: a member, their cells, and whether it is the admin's own row. */
    record Row(Member member, List<Cell> cells, boolean self) {}

    @GetMapping
    String page(@RequestParam(required = false) Integer page, Model model) {
        return render(policy.requireOrgAdmin(), page, MemberForm.EMPTY, Map.of(), model);
    }

    /** Invites someone by email with a role and rights on agendas: they join by the mailed link. */
    @PostMapping("/invitations")
    String invite(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String role,
            @RequestParam(defaultValue = "") String practitionerId,
            @RequestParam MultiValueMap<String, String> fields,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Map<String, String> errors = new HashMap<>();
        try {
            Map<UUID, Set<AgendaRight>> rights = new HashMap<>();
            for (Practitioner agenda : staff.agendas(admin)) {
                Set<AgendaRight> wanted = EnumSet.noneOf(AgendaRight.class);
                for (String right : fields.getOrDefault("invite-agenda-" + agenda.id(), List.of())) {
                    wanted.add(parseRight(right));
                }
                if (!wanted.isEmpty()) {
                    rights.put(agenda.id(), wanted);
                }
            }
            StaffInvitations.Invitation sent = invitations.invite(
                    admin,
                    new StaffInvitations.NewInvitation(email, parseRole(role), parseAgenda(practitionerId), rights));
            redirect.addFlashAttribute("done", "team.invited");
            redirect.addFlashAttribute("doneName", sent.email());
            return "redirect:" + PAGE + "#invitations-title";
        } catch (InvalidInputException e) {
            errors.put("invite-" + e.field(), "team.error." + e.field());
        } catch (NotFoundException e) {
            errors.put("invite-practitionerId", "team.error.practitionerId");
        }
        response.setStatus(400);
        model.addAttribute("inviteForm", new InviteForm(email, role, practitionerId));
        return render(admin, null, MemberForm.EMPTY, errors, model);
    }

    @PostMapping("/invitations/{id}/revoquer")
    String revoke(@PathVariable UUID id, RedirectAttributes redirect) {
        Caller.Staff admin = policy.requireOrgAdmin();
        try {
            invitations.revoke(admin, id);
            redirect.addFlashAttribute("done", "team.invitationRevoked");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("done", "team.invitationNotPending");
        }
        redirect.addFlashAttribute("doneName", "");
        return "redirect:" + PAGE + "#invitations-title";
    }

    @PostMapping
    String add(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String phone,
            @RequestParam(defaultValue = "") String password,
            @RequestParam(defaultValue = "") String role,
            @RequestParam(defaultValue = "") String practitionerId,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff admin = policy.requireOrgAdmin();
        MemberForm form = new MemberForm(email, phone, role, practitionerId);
        Map<String, String> errors = new HashMap<>();
        try {
            Member added = staff.add(
                    admin,
                    new StaffMembers.NewMember(email, phone, password, parseRole(role), parseAgenda(practitionerId)));
            redirect.addFlashAttribute("done", "team.added");
            redirect.addFlashAttribute("doneName", added.email());
            return "redirect:" + PAGE;
        } catch (InvalidInputException e) {
            errors.put(e.field(), "team.error." + e.field());
        } catch (ConflictException e) {
            errors.put("email", "team.error.emailTaken");
        } catch (NotFoundException e) {
            errors.put("practitionerId", "team.error.practitionerId");
        }
        response.setStatus(400);
        return render(admin, null, form, errors, model);
    }

    /**
     * Saves one member's row of the grid: each agenda whose rights differ is set, so each change is
     * told and recorded as through the API, and an agenda left as it was changes nothing.
     */
    @PostMapping("/{accountId}/droits")
    String rights(
            @PathVariable UUID accountId,
            @RequestParam MultiValueMap<String, String> fields,
            RedirectAttributes redirect) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Member member = staff.member(admin, accountId);
        for (Practitioner agenda : staff.agendas(admin)) {
            Set<AgendaRight> wanted = EnumSet.noneOf(AgendaRight.class);
            for (String right : fields.getOrDefault("agenda-" + agenda.id(), List.of())) {
                wanted.add(parseRight(right));
            }
            Set<AgendaRight> held = staff.rightsOn(admin, agenda.id()).stream()
                    .filter(g -> g.accountId().equals(accountId))
                    .map(AgendaRights.Grant::rights)
                    .findFirst()
                    .orElse(Set.of());
            if (!held.equals(wanted)) {
                staff.setRights(admin, agenda.id(), accountId, wanted);
            }
        }
        redirect.addFlashAttribute("done", "team.rightsSaved");
        redirect.addFlashAttribute("doneName", member.email());
        return "redirect:" + PAGE + "#member-" + accountId;
    }

    @PostMapping("/{accountId}/retirer")
    String remove(@PathVariable UUID accountId, RedirectAttributes redirect) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Member member = staff.member(admin, accountId);
        staff.remove(admin, accountId);
        redirect.addFlashAttribute("done", "team.removed");
        redirect.addFlashAttribute("doneName", member.email());
        return "redirect:" + PAGE;
    }

    /** Disables a member: kept, with their rights, but unable to act for the organization until enabled again. */
    @PostMapping("/{accountId}/desactiver")
    String disable(@PathVariable UUID accountId, RedirectAttributes redirect) {
        return setDisabled(accountId, true, redirect);
    }

    @PostMapping("/{accountId}/reactiver")
    String enable(@PathVariable UUID accountId, RedirectAttributes redirect) {
        return setDisabled(accountId, false, redirect);
    }

    private String setDisabled(UUID accountId, boolean disabled, RedirectAttributes redirect) {
        Caller.Staff admin = policy.requireOrgAdmin();
        Member member = staff.member(admin, accountId);
        try {
            staff.setDisabled(admin, accountId, disabled);
            redirect.addFlashAttribute("done", disabled ? "team.disabled" : "team.enabled");
        } catch (ConflictException e) {
            // Only the last admin or oneself can be refused: the page offers neither, a stale one may.
            redirect.addFlashAttribute("problem", "team.error.lastAdmin");
        }
        redirect.addFlashAttribute("doneName", member.email());
        return "redirect:" + PAGE + "#member-" + accountId;
    }

    private String render(Caller.Staff admin, Integer page, MemberForm form, Map<String, String> errors, Model model) {
        Page<Member> members = staff.list(admin, Paging.of(page, null));
        List<Agenda> agendas = staff.agendas(admin).stream()
                .map(p -> new Agenda(p.id(), p.displayName()))
                .toList();
        Map<UUID, Map<UUID, Set<AgendaRight>>> held = new HashMap<>();
        for (Agenda agenda : agendas) {
            for (AgendaRights.Grant grant : staff.rightsOn(admin, agenda.id())) {
                held.computeIfAbsent(grant.accountId(), a -> new HashMap<>()).put(agenda.id(), grant.rights());
            }
        }
        List<Row> rows = members.items().stream()
                .map(m -> new Row(
                        m,
                        agendas.stream()
                                .map(a -> new Cell(
                                        a,
                                        held.getOrDefault(m.accountId(), Map.of())
                                                .getOrDefault(a.id(), Set.of())))
                                .toList(),
                        m.accountId().equals(admin.accountId())))
                .toList();
        model.addAttribute("rows", rows);
        model.addAttribute("page", members.page());
        model.addAttribute("agendas", agendas);
        model.addAttribute("rights", AgendaRight.values());
        model.addAttribute("roles", StaffRole.values());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        if (!model.containsAttribute("inviteForm")) {
            model.addAttribute("inviteForm", InviteForm.EMPTY);
        }
        model.addAttribute(
                "invitations",
                invitations.list(admin, Paging.of(0, 20)).items().stream()
                        .map(i -> new InvitationRow(
                                i.id(),
                                i.email(),
                                i.role(),
                                i.state(),
                                i.expiresAt().atZone(zone).toLocalDateTime()))
                        .toList());
        return "practice/team";
    }

    private static StaffRole parseRole(String role) {
        try {
            return StaffRole.valueOf(role);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("role", "is not a role");
        }
    }

    private static UUID parseAgenda(String practitionerId) {
        if (practitionerId.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(practitionerId);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("practitionerId", "is not an agenda");
        }
    }

    private static AgendaRight parseRight(String right) {
        try {
            return AgendaRight.valueOf(right);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("rights", "is not a right");
        }
    }
}
