package org.creneau.workspace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.platform.StaffPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The workspace's first page: the agendas this staff member holds a right on, and what they may do on
 * each. An agenda without any right is not listed at all, as the API would not show it.
 */
@Controller
@StaffPage
class WorkspaceHome {

    private final AccessPolicy policy;
    private final AgendaRights rights;
    private final TenantScope scope;
    private final Directory directory;

    WorkspaceHome(AccessPolicy policy, AgendaRights rights, TenantScope scope, Directory directory) {
        this.policy = policy;
        this.rights = rights;
        this.scope = scope;
        this.directory = directory;
    }

    /** One agenda the person may open, with their rights on it. */
    record AgendaEntry(UUID practitionerId, String name, String specialty, Set<AgendaRight> rights) {
        public boolean may(String right) {
            return rights.contains(AgendaRight.valueOf(right));
        }
    }

    @GetMapping("/cabinet")
    String home(Model model) {
        Caller.Staff staff = policy.requireStaff();
        Map<UUID, Set<AgendaRight>> held = scope.read(staff, () -> {
            Map<UUID, Set<AgendaRight>> byAgenda = new LinkedHashMap<>();
            for (AgendaRight right : AgendaRight.values()) {
                for (UUID agenda : rights.agendasWith(staff, right)) {
                    byAgenda.computeIfAbsent(agenda, a -> EnumSet.noneOf(AgendaRight.class))
                            .add(right);
                }
            }
            return byAgenda;
        });
        List<AgendaEntry> agendas = new ArrayList<>();
        held.forEach((practitionerId, agendaRights) -> directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(staff.organizationId()))
                .ifPresent(p -> agendas.add(entry(p, agendaRights))));
        agendas.sort(Comparator.comparing(AgendaEntry::name));
        model.addAttribute("agendas", agendas);
        return "practice/home";
    }

    private static AgendaEntry entry(Practitioner p, Set<AgendaRight> agendaRights) {
        return new AgendaEntry(
                p.id(), p.firstName() + " " + p.lastName(), p.specialty().label(), agendaRights);
    }
}
