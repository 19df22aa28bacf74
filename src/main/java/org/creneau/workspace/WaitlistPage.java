package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.booking.AgendaWaitlist;
import org.creneau.booking.AgendaWaitlist.Waiting;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.VisitMotive;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Resource;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * An agenda's waiting list as a page, for staff who may see its appointments: per motive, the people
 * waiting in the order a freed slot is offered, since when, and the offers made with their expiry.
 * It reads {@link AgendaWaitlist} like the JSON API's {@code GET .../waitlist} and is journaled like it.
 */
@Controller
@StaffPage
class WaitlistPage {

    private final AgendaWaitlist waitlist;
    private final Directory directory;
    private final AccessPolicy policy;
    private final AgendaZones zones;
    private final WorkspaceErrors notFound;

    WaitlistPage(
            AgendaWaitlist waitlist,
            Directory directory,
            AccessPolicy policy,
            AgendaZones zones,
            WorkspaceErrors notFound) {
        this.waitlist = waitlist;
        this.directory = directory;
        this.policy = policy;
        this.zones = zones;
        this.notFound = notFound;
    }

    /** One person in line, as the page shows it; {@code position} counts from 1 over the whole agenda. */
    record InLine(
            UUID id,
            long position,
            String patient,
            UUID orgPatientId,
            ZonedDateTime since,
            boolean offered,
            ZonedDateTime offerExpiresAt) {}

    /** The people in line for one motive, in order. */
    record MotiveQueue(UUID motiveId, String label, List<InLine> entries) {}

    @Journaled(purpose = "waitlist", resource = Resource.WAITLIST_ENTRY, model = "waiting")
    @GetMapping("/cabinet/agenda/{practitionerId}/liste-d-attente")
    String page(@PathVariable UUID practitionerId, @RequestParam(required = false) Integer page, Model model) {
        Caller.Staff staff = policy.requireStaff();
        Paging paging = Paging.of(page, Paging.MAX_SIZE);
        Page<Waiting> waiting = waitlist.ofAgenda(staff, practitionerId, paging);
        Practitioner agenda = directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(staff.organizationId()))
                .orElseThrow(() -> new NotFoundException("agenda"));
        ZoneId zone = zones.of(practitionerId);
        Map<UUID, MotiveQueue> queues = new LinkedHashMap<>();
        for (VisitMotive m : directory.motivesOf(practitionerId)) {
            queues.put(m.id(), new MotiveQueue(m.id(), m.label(), new ArrayList<>()));
        }
        List<Waiting> items = waiting.items();
        for (int i = 0; i < items.size(); i++) {
            Waiting w = items.get(i);
            MotiveQueue queue = queues.get(w.motiveId());
            if (queue == null) {
                continue;
            }
            queue.entries()
                    .add(new InLine(
                            w.id(),
                            (long) paging.offset() + i + 1,
                            w.patientFirstName() == null ? null : w.patientFirstName() + " " + w.patientLastName(),
                            w.orgPatientId(),
                            w.since().atZone(zone),
                            w.state() == AgendaWaitlist.State.OFFERED,
                            w.offerExpiresAt() == null
                                    ? null
                                    : w.offerExpiresAt().atZone(zone)));
        }
        model.addAttribute("waiting", waiting);
        model.addAttribute("queues", List.copyOf(queues.values()));
        model.addAttribute("agenda", agenda.displayName());
        model.addAttribute("practitionerId", practitionerId);
        model.addAttribute("pageNumber", paging.number());
        model.addAttribute(
                "hasNext",
                (long) paging.offset() + items.size() < waiting.page().totalItems());
        return "practice/waitlist";
    }

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(HttpServletRequest request) {
        return notFound.notFound(request);
    }
}
