package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.PracticeDesk;
import org.creneau.booking.PracticeDesk.DeskAppointment;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.OrgPatients;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.patients.PatientFile;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The desk's actions as pages: booking a free slot for a patient who phoned (found in the file by
 * name, phone or birth date, or added there and then), an appointment's page with arrived, seen,
 * no-show, cancel with a reason and lifting an online-booking block, and moving it to another slot.
 * Each change is a POST answered by a redirect with a message; a refusal shows the form again with
 * its reason in words. The rules and rights are {@link PracticeDesk}'s and {@link PatientFile}'s.
 */
@Controller
@StaffPage
class DeskPages {

    /** Problem codes meaning the slot is no longer there: said as "taken meanwhile". */
    static final Set<String> SLOT_GONE = Set.of("slot-unavailable", "slot-taken", "booking-contention");

    private final AccessPolicy policy;
    private final WorkspaceErrors notFoundPage;
    private final PracticeDesk desk;
    private final PatientFile file;
    private final AgendaBoard board;
    private final AgendaRights rights;
    private final TenantScope scope;
    private final Directory directory;

    DeskPages(
            AccessPolicy policy,
            WorkspaceErrors notFoundPage,
            PracticeDesk desk,
            PatientFile file,
            AgendaBoard board,
            AgendaRights rights,
            TenantScope scope,
            Directory directory) {
        this.policy = policy;
        this.notFoundPage = notFoundPage;
        this.desk = desk;
        this.file = file;
        this.board = board;
        this.rights = rights;
        this.scope = scope;
        this.directory = directory;
    }

    /** The slot being booked, as the page shows it. */
    record SlotChoice(Instant start, VisitMotive motive, Site site, ZoneId zone) {}

    /** What a change hands to the page after its redirect (kept in the session): the identifier it journals. */
    record Changed(UUID id) implements Serializable {}

    /** What was typed for a new patient, shown again with its errors. */
    record NewPatientForm(String firstName, String lastName, String birthDate, String phone, String email) {
        static NewPatientForm empty() {
            return new NewPatientForm("", "", "", "", "");
        }
    }

    @Journaled(purpose = "search the patient file", resource = Resource.PATIENT, model = "patients")
    @GetMapping("/cabinet/agenda/{practitionerId}/reserver")
    String bookingPage(
            @PathVariable UUID practitionerId,
            @RequestParam(name = "debut", defaultValue = "") String start,
            @RequestParam(name = "motif", required = false) UUID motiveId,
            @RequestParam(name = "site", required = false) UUID siteId,
            @RequestParam(name = "recherche", defaultValue = "") String search,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        Practitioner p = managed(staff, practitionerId);
        SlotChoice slot = slot(p, start, motiveId, siteId);
        model.addAttribute("practitioner", p);
        model.addAttribute("slot", slot);
        model.addAttribute("search", search);
        if (!search.isBlank()) {
            model.addAttribute("patients", find(staff, search));
        }
        if (!model.containsAttribute("newPatient")) {
            model.addAttribute("newPatient", NewPatientForm.empty());
        }
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "practice/book";
    }

    @Journaled(
            purpose = "book for a patient",
            resource = Resource.APPOINTMENT,
            outcome = Outcome.CREATED,
            model = "booked")
    @PostMapping("/cabinet/agenda/{practitionerId}/reserver")
    String book(
            @PathVariable UUID practitionerId,
            @RequestParam(name = "debut", defaultValue = "") String start,
            @RequestParam(name = "motif", required = false) UUID motiveId,
            @RequestParam(name = "site", required = false) UUID siteId,
            @RequestParam(name = "patient", required = false) UUID orgPatientId,
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            @RequestParam(defaultValue = "") String phone,
            @RequestParam(defaultValue = "") String email,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        Practitioner p = managed(staff, practitionerId);
        SlotChoice slot = slot(p, start, motiveId, siteId);
        NewPatientForm typed = new NewPatientForm(firstName, lastName, birthDate, phone, email);
        Map<String, String> errors = new HashMap<>();
        OrgPatients.NewOrgPatient newPatient = null;
        if (orgPatientId == null) {
            LocalDate born = null;
            try {
                born = LocalDate.parse(birthDate.trim());
            } catch (DateTimeParseException e) {
                errors.put("birthDate", "field.invalid.birthDate");
            }
            newPatient = new OrgPatients.NewOrgPatient(firstName, lastName, born, phone, blankToNull(email));
        }
        if (errors.isEmpty()) {
            try {
                DeskAppointment booked = desk.book(
                        staff,
                        new PracticeDesk.Booking(
                                p.id(), slot.motive().id(), slot.site().id(), slot.start(), orgPatientId, newPatient));
                redirect.addFlashAttribute("booked", new Changed(booked.id()));
                redirect.addFlashAttribute("flash", "practice.desk.booked");
                return "redirect:" + agendaOf(booked, slot.zone());
            } catch (InvalidInputException e) {
                errors.put(e.field(), "field.invalid." + e.field());
            } catch (ConflictException e) {
                errors.put("slot", SLOT_GONE.contains(e.code()) ? "practice.desk.slotTaken" : "problem." + e.code());
            }
        }
        response.setStatus(errors.containsKey("slot") ? 409 : 400);
        model.addAttribute("errors", errors);
        model.addAttribute("newPatient", typed);
        return bookingPage(practitionerId, start, motiveId, siteId, "", model);
    }

    @Journaled(purpose = "view appointment", resource = Resource.APPOINTMENT, model = "appointment")
    @GetMapping("/cabinet/rendez-vous/{id}")
    String appointment(@PathVariable UUID id, Model model) {
        Caller.Staff staff = policy.requireStaff();
        DeskAppointment a = desk.one(staff, id);
        ZoneId zone = board.zoneOf(List.of(a.practitionerId()));
        model.addAttribute("appointment", a);
        model.addAttribute("zone", zone);
        model.addAttribute("start", a.start().atZone(zone));
        model.addAttribute("end", a.end().atZone(zone));
        model.addAttribute(
                "practitioner", directory.practitioner(a.practitionerId()).orElseThrow());
        model.addAttribute("motive", directory.motive(a.motiveId()).orElse(null));
        model.addAttribute("site", directory.site(a.siteId()).orElse(null));
        model.addAttribute("mayManage", mayManage(staff, a.practitionerId()));
        model.addAttribute("patient", a.orgPatientId() == null ? null : file.entry(staff, a.orgPatientId()));
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "practice/appointment";
    }

    @Journaled(purpose = "arrival", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "changed")
    @PostMapping("/cabinet/rendez-vous/{id}/arrive")
    String arrived(@PathVariable UUID id, RedirectAttributes redirect) {
        return mark(id, AppointmentStatus.ARRIVED, "practice.desk.arrived", redirect);
    }

    @Journaled(purpose = "seen", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "changed")
    @PostMapping("/cabinet/rendez-vous/{id}/vu")
    String seen(@PathVariable UUID id, RedirectAttributes redirect) {
        return mark(id, AppointmentStatus.SEEN, "practice.desk.seen", redirect);
    }

    @Journaled(purpose = "no-show", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "changed")
    @PostMapping("/cabinet/rendez-vous/{id}/non-venu")
    String noShow(@PathVariable UUID id, RedirectAttributes redirect) {
        return mark(id, AppointmentStatus.NO_SHOW, "practice.desk.noShow", redirect);
    }

    @Journaled(purpose = "cancel", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "changed")
    @PostMapping("/cabinet/rendez-vous/{id}/annuler")
    String cancel(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String reason,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        DeskAppointment a = desk.one(staff, id);
        try {
            DeskAppointment cancelled = desk.cancel(staff, id, reason);
            redirect.addFlashAttribute("changed", new Changed(cancelled.id()));
            redirect.addFlashAttribute("flash", "practice.desk.cancelled");
            return "redirect:" + agendaOf(cancelled, board.zoneOf(List.of(a.practitionerId())));
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("errors", Map.of("reason", "field.invalid.reason"));
        } catch (ConflictException e) {
            response.setStatus(409);
            model.addAttribute("errors", Map.of("reason", "problem." + e.code()));
        }
        model.addAttribute("reason", reason);
        return appointment(id, model);
    }

    @Journaled(
            purpose = "lift online-booking block",
            resource = Resource.PATIENT,
            outcome = Outcome.UPDATED,
            model = "lifted")
    @PostMapping("/cabinet/rendez-vous/{id}/debloquer")
    String liftBlock(@PathVariable UUID id, RedirectAttributes redirect) {
        Caller.Staff staff = policy.requireStaff();
        DeskAppointment a = desk.one(staff, id);
        if (a.orgPatientId() == null) {
            throw new NotFoundException("patient");
        }
        OrgPatient lifted = file.liftOnlineBookingBlock(staff, a.orgPatientId());
        redirect.addFlashAttribute("lifted", new Changed(lifted.id()));
        redirect.addFlashAttribute("flash", "practice.desk.unblocked");
        return "redirect:/cabinet/rendez-vous/" + id;
    }

    @Journaled(purpose = "view appointment", resource = Resource.APPOINTMENT, model = "appointment")
    @GetMapping("/cabinet/rendez-vous/{id}/deplacer")
    String movePage(@PathVariable UUID id, @RequestParam(name = "jour", required = false) String day, Model model) {
        Caller.Staff staff = policy.requireStaff();
        DeskAppointment a = desk.one(staff, id);
        Practitioner p = managed(staff, a.practitionerId());
        ZoneId zone = board.zoneOf(List.of(p.id()));
        LocalDate date = a.start().atZone(zone).toLocalDate();
        if (day != null && !day.isBlank()) {
            try {
                date = LocalDate.parse(day.trim());
            } catch (DateTimeParseException e) {
                // A date typed wrong shows the appointment's own day.
            }
        }
        Map<UUID, UUID> motive = Map.of(p.id(), a.motiveId());
        AgendaBoard.Board drawn = board.board(staff, List.of(p), motive, date, 1, zone);
        model.addAttribute("appointment", a);
        model.addAttribute("start", a.start().atZone(zone));
        model.addAttribute("practitioner", p);
        model.addAttribute("motive", directory.motive(a.motiveId()).orElse(null));
        model.addAttribute("day", date);
        model.addAttribute("previous", date.minusDays(1));
        model.addAttribute("next", date.plusDays(1));
        model.addAttribute(
                "freeSlots",
                drawn.columns().get(0).days().get(0).rows().stream()
                        .filter(r -> r.kind() == AgendaBoard.Kind.FREE)
                        .toList());
        return "practice/move";
    }

    @Journaled(purpose = "move", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "changed")
    @PostMapping("/cabinet/rendez-vous/{id}/deplacer")
    String move(
            @PathVariable UUID id,
            @RequestParam(name = "debut", defaultValue = "") String start,
            @RequestParam(name = "site", required = false) UUID siteId,
            RedirectAttributes redirect) {
        Caller.Staff staff = policy.requireStaff();
        DeskAppointment a = desk.one(staff, id);
        String problem;
        Instant at = null;
        try {
            at = Instant.parse(start);
            DeskAppointment moved = desk.move(staff, id, at, siteId);
            redirect.addFlashAttribute("changed", new Changed(moved.id()));
            redirect.addFlashAttribute("flash", "practice.desk.moved");
            return "redirect:/cabinet/rendez-vous/" + id;
        } catch (DateTimeParseException | InvalidInputException e) {
            problem = "practice.desk.moveInvalid";
        } catch (ConflictException e) {
            problem = SLOT_GONE.contains(e.code()) ? "practice.desk.slotTaken" : "problem." + e.code();
        }
        redirect.addFlashAttribute("problem", problem);
        UriComponentsBuilder again = UriComponentsBuilder.fromPath("/cabinet/rendez-vous/{id}/deplacer");
        LocalDate day = (at != null ? at : a.start())
                .atZone(board.zoneOf(List.of(a.practitionerId())))
                .toLocalDate();
        again.queryParam("jour", day);
        return "redirect:" + again.buildAndExpand(Map.of("id", id)).toUriString();
    }

    private String mark(UUID id, AppointmentStatus outcome, String done, RedirectAttributes redirect) {
        Caller.Staff staff = policy.requireStaff();
        desk.one(staff, id);
        try {
            DeskAppointment marked = desk.mark(staff, id, outcome);
            redirect.addFlashAttribute("changed", new Changed(marked.id()));
            redirect.addFlashAttribute("flash", done);
        } catch (ConflictException e) {
            redirect.addFlashAttribute("problem", "practice.desk.problem." + e.code());
        }
        return "redirect:/cabinet/rendez-vous/" + id;
    }

    /** The file searched by what was typed: a birth date, a phone number, or else the start of a name. */
    private List<OrgPatient> find(Caller.Staff staff, String typed) {
        String text = typed.trim();
        Paging paging = new Paging(0, 10);
        try {
            LocalDate born = LocalDate.parse(text);
            return file.search(staff, null, null, born, paging).items();
        } catch (DateTimeParseException e) {
            // Not a date: a phone number or a name.
        }
        String digits = text.replaceAll("[^0-9]", "");
        try {
            if (digits.length() >= 6
                    && digits.length() * 2 >= text.replaceAll("\\s", "").length()) {
                return file.search(staff, null, text, null, paging).items();
            }
            return file.search(staff, text, null, null, paging).items();
        } catch (InvalidInputException e) {
            return List.of();
        }
    }

    private Practitioner managed(Caller.Staff staff, UUID practitionerId) {
        Practitioner p = board.practitioner(staff, practitionerId);
        scope.read(staff, () -> {
            rights.require(staff, p.id(), AgendaRight.MANAGE_APPOINTMENTS);
            return null;
        });
        return p;
    }

    private boolean mayManage(Caller.Staff staff, UUID practitionerId) {
        return scope.read(
                staff,
                () -> rights.agendasWith(staff, AgendaRight.MANAGE_APPOINTMENTS).contains(practitionerId));
    }

    /** The slot asked for: a start, one of the agenda's motives and sites; anything else is not found. */
    private SlotChoice slot(Practitioner p, String start, UUID motiveId, UUID siteId) {
        Instant at;
        try {
            at = Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new NotFoundException("slot");
        }
        VisitMotive motive = directory
                .motive(motiveId == null ? new UUID(0, 0) : motiveId)
                .filter(m -> m.practitionerId().equals(p.id()))
                .orElseThrow(() -> new NotFoundException("motive"));
        Site site = directory.sitesOf(p.id()).stream()
                .filter(s -> s.id().equals(siteId))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("site"));
        return new SlotChoice(at, motive, site, site.timeZone());
    }

    private static String agendaOf(DeskAppointment a, ZoneId zone) {
        return UriComponentsBuilder.fromPath("/cabinet/agenda/{p}")
                .queryParam("jour", a.start().atZone(zone).toLocalDate())
                .buildAndExpand(Map.of("p", a.practitionerId()))
                .toUriString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(HttpServletRequest request) {
        return notFoundPage.notFound(request);
    }
}
