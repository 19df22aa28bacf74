package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.PracticeDesk;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Resource;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.StaffPage;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The agenda pages: one practitioner's day or week, and the practice's day with several practitioners
 * side by side. Each page polls its own region (htmx, every few seconds) with the stamp it was drawn
 * from: an unchanged agenda answers 204 and nothing, a changed one its region drawn again.
 */
@Controller
@StaffPage
class AgendaPages {

    /** How often an open agenda asks whether it changed, in seconds. */
    static final int REFRESH_SECONDS = 5;

    private final AccessPolicy policy;
    private final WorkspaceErrors notFoundPage;
    private final AgendaBoard board;
    private final PracticeDesk desk;
    private final AgendaRights rights;
    private final TenantScope scope;
    private final Directory directory;
    private final Clock clock;

    AgendaPages(
            AccessPolicy policy,
            WorkspaceErrors notFoundPage,
            AgendaBoard board,
            PracticeDesk desk,
            AgendaRights rights,
            TenantScope scope,
            Directory directory,
            Clock clock) {
        this.policy = policy;
        this.notFoundPage = notFoundPage;
        this.board = board;
        this.desk = desk;
        this.rights = rights;
        this.scope = scope;
        this.directory = directory;
        this.clock = clock;
    }

    /** What the page was asked to show: which agendas, from which day, over how many days. */
    record Request(List<Practitioner> practitioners, LocalDate first, int days, ZoneId zone, Map<UUID, UUID> motives) {
        TimeWindow window() {
            return new TimeWindow(
                    first.atStartOfDay(zone).toInstant(),
                    first.plusDays(days).atStartOfDay(zone).toInstant());
        }

        List<UUID> ids() {
            return practitioners.stream().map(Practitioner::id).toList();
        }
    }

    @Journaled(purpose = "agenda", resource = Resource.APPOINTMENT, model = "appointments")
    @GetMapping("/cabinet/agenda/{practitionerId}")
    String agenda(
            @PathVariable UUID practitionerId,
            @RequestParam(name = "jour", required = false) String day,
            @RequestParam(name = "vue", required = false) String view,
            @RequestParam(name = "motif", required = false) UUID motive,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        Request request = single(staff, practitionerId, day, view, motive);
        boolean week = request.days() > 1;
        PracticeDesk.Stamp stamp = desk.stamp(staff, request.ids(), request.window());
        show(staff, request, model);
        Practitioner p = request.practitioners().get(0);
        model.addAttribute("practitioner", p);
        model.addAttribute("motives", directory.motivesOf(p.id()));
        model.addAttribute("week", week);
        model.addAttribute("day", request.first());
        model.addAttribute("today", LocalDate.now(clock.withZone(request.zone())));
        model.addAttribute("previous", request.first().minusDays(week ? 7 : 1));
        model.addAttribute("next", request.first().plusDays(week ? 7 : 1));
        model.addAttribute("refresh", refresh("/cabinet/agenda/" + p.id() + "/actualiser", request, week, stamp));
        return "practice/agenda";
    }

    /** The region of an open agenda page, drawn again only when its stamp changed. */
    @Journaled(purpose = "agenda", resource = Resource.APPOINTMENT, model = "appointments")
    @GetMapping("/cabinet/agenda/{practitionerId}/actualiser")
    String agendaRegion(
            @PathVariable UUID practitionerId,
            @RequestParam(name = "jour", required = false) String day,
            @RequestParam(name = "vue", required = false) String view,
            @RequestParam(name = "motif", required = false) UUID motive,
            @RequestParam(name = "depuis", defaultValue = "") String since,
            HttpServletResponse response,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        Request request = single(staff, practitionerId, day, view, motive);
        return region(
                staff,
                request,
                "/cabinet/agenda/" + practitionerId + "/actualiser",
                request.days() > 1,
                since,
                response,
                model);
    }

    @Journaled(purpose = "agenda", resource = Resource.APPOINTMENT, model = "appointments")
    @GetMapping("/cabinet/journee")
    String practiceDay(
            @RequestParam(name = "jour", required = false) String day,
            @RequestParam(name = "agenda", required = false) List<UUID> chosen,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        List<Practitioner> visible = visibleAgendas(staff);
        Request request = several(staff, visible, chosen, day);
        model.addAttribute("visible", visible);
        model.addAttribute("shown", request.ids());
        model.addAttribute("day", request.first());
        model.addAttribute("today", LocalDate.now(clock.withZone(request.zone())));
        model.addAttribute("previous", request.first().minusDays(1));
        model.addAttribute("next", request.first().plusDays(1));
        if (request.practitioners().isEmpty()) {
            model.addAttribute("board", null);
            return "practice/day";
        }
        PracticeDesk.Stamp stamp = desk.stamp(staff, request.ids(), request.window());
        show(staff, request, model);
        model.addAttribute("refresh", refresh("/cabinet/journee/actualiser", request, false, stamp));
        return "practice/day";
    }

    @Journaled(purpose = "agenda", resource = Resource.APPOINTMENT, model = "appointments")
    @GetMapping("/cabinet/journee/actualiser")
    String practiceDayRegion(
            @RequestParam(name = "jour", required = false) String day,
            @RequestParam(name = "agenda", required = false) List<UUID> chosen,
            @RequestParam(name = "depuis", defaultValue = "") String since,
            HttpServletResponse response,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        Request request = several(staff, visibleAgendas(staff), chosen, day);
        if (request.practitioners().isEmpty()) {
            response.setStatus(204);
            return null;
        }
        return region(staff, request, "/cabinet/journee/actualiser", false, since, response, model);
    }

    private String region(
            Caller.Staff staff,
            Request request,
            String path,
            boolean week,
            String since,
            HttpServletResponse response,
            Model model) {
        PracticeDesk.Stamp stamp = desk.stamp(staff, request.ids(), request.window());
        if (stamp.token().equals(since)) {
            // Nothing booked, moved or cancelled there since the page was drawn: no data, no journal entry.
            response.setStatus(204);
            return null;
        }
        show(staff, request, model);
        model.addAttribute("refresh", refresh(path, request, week, stamp));
        model.addAttribute("news", news(since, stamp));
        model.addAttribute("newsAt", clock.instant().atZone(request.zone()));
        return "practice/agenda-board :: update";
    }

    /** What the polite announcement says: new appointments, or a change (moved, cancelled, marked). */
    private static String news(String since, PracticeDesk.Stamp stamp) {
        long before;
        try {
            before = Long.parseLong(since.substring(0, Math.max(0, since.indexOf('-'))));
        } catch (NumberFormatException e) {
            return "practice.agenda.live.changed";
        }
        return stamp.count() > before ? "practice.agenda.live.added" : "practice.agenda.live.changed";
    }

    private void show(Caller.Staff staff, Request request, Model model) {
        AgendaBoard.Board drawn = board.board(
                staff, request.practitioners(), request.motives(), request.first(), request.days(), request.zone());
        model.addAttribute("board", drawn);
        model.addAttribute("appointments", drawn.appointments());
    }

    private Request single(Caller.Staff staff, UUID practitionerId, String day, String view, UUID motive) {
        Practitioner p = board.practitioner(staff, practitionerId);
        ZoneId zone = board.zoneOf(List.of(p.id()));
        LocalDate date = parseDay(day, zone);
        boolean week = "semaine".equals(view);
        Map<UUID, UUID> motives = new HashMap<>();
        if (motive != null) {
            motives.put(p.id(), motive);
        }
        return week
                ? new Request(List.of(p), date.with(DayOfWeek.MONDAY), 7, zone, motives)
                : new Request(List.of(p), date, 1, zone, motives);
    }

    private Request several(Caller.Staff staff, List<Practitioner> visible, List<UUID> chosen, String day) {
        List<Practitioner> shown = visible;
        if (chosen != null && !chosen.isEmpty()) {
            LinkedHashSet<UUID> wanted = new LinkedHashSet<>(chosen);
            shown = visible.stream().filter(p -> wanted.contains(p.id())).toList();
            // An agenda asked for and not visible to this person is like a missing one.
            if (shown.size() != wanted.size()) {
                throw new NotFoundException("agenda");
            }
        }
        ZoneId zone = board.zoneOf(shown.stream().map(Practitioner::id).toList());
        return new Request(shown, parseDay(day, zone), 1, zone, Map.of());
    }

    /** The agendas of the person's organization they may see appointments on, by name. */
    private List<Practitioner> visibleAgendas(Caller.Staff staff) {
        List<UUID> ids = scope.read(staff, () -> rights.agendasWith(staff, AgendaRight.VIEW_APPOINTMENTS));
        List<Practitioner> found = new ArrayList<>();
        ids.forEach(id -> directory
                .practitioner(id)
                .filter(p -> p.organizationId().equals(staff.organizationId()))
                .ifPresent(found::add));
        found.sort(Comparator.comparing(Practitioner::lastName).thenComparing(Practitioner::firstName));
        return found;
    }

    private LocalDate parseDay(String day, ZoneId zone) {
        if (day != null && !day.isBlank()) {
            try {
                return LocalDate.parse(day.trim());
            } catch (DateTimeParseException e) {
                // A date typed wrong shows today, as an empty one does.
            }
        }
        return LocalDate.now(clock.withZone(zone));
    }

    private static String refresh(String path, Request request, boolean week, PracticeDesk.Stamp stamp) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath(path).queryParam("jour", request.first());
        if (week) {
            link.queryParam("vue", "semaine");
        }
        request.motives().values().forEach(m -> link.queryParam("motif", m));
        if (path.startsWith("/cabinet/journee")) {
            request.ids().forEach(id -> link.queryParam("agenda", id));
        }
        return link.queryParam("depuis", stamp.token()).build().toUriString();
    }

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(HttpServletRequest request) {
        return notFoundPage.notFound(request);
    }
}
