package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.PatientAppointments;
import org.creneau.booking.PatientAppointments.History;
import org.creneau.booking.PatientAppointments.Visit;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.OrgPatientView;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.patients.PatientFile;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The organization's patient file as pages: a search by the start of a name, a phone number or a birth
 * date (posted, so that no name or number lands in an address or a log), and one patient's entry with
 * contact details, no-show count and appointments here, past and to come. The same {@link PatientFile}
 * rights as the JSON API (the right to see appointments on at least one agenda; whoever may open an
 * entry sees its contact details, as in the API), journaled like it; a patient of another organization
 * is not found.
 */
@Controller
@StaffPage
class PatientFilePages {

    private final PatientFile file;
    private final PatientAppointments appointments;
    private final Directory directory;
    private final AccessPolicy policy;
    private final WorkspaceErrors notFound;
    private final ZoneId zone;

    PatientFilePages(
            PatientFile file,
            PatientAppointments appointments,
            Directory directory,
            AccessPolicy policy,
            WorkspaceErrors notFound,
            @Value("${creneau.default-time-zone:Europe/Paris}") String zone) {
        this.file = file;
        this.appointments = appointments;
        this.directory = directory;
        this.policy = policy;
        this.notFound = notFound;
        this.zone = ZoneId.of(zone);
    }

    /** What the search form sends back, kept to fill it again and to page through the results. */
    record SearchForm(String name, String phone, String birthDate) {
        static final SearchForm EMPTY = new SearchForm("", "", "");
    }

    /** One appointment in the patient's entry, in its site's time zone. */
    record VisitRow(
            UUID id,
            ZonedDateTime start,
            String practitioner,
            String motive,
            String site,
            AppointmentStatus status,
            String cancelReason) {}

    @GetMapping("/cabinet/patients")
    String search(Model model) {
        file.requireAccess(policy.requireStaff());
        model.addAttribute("searchForm", SearchForm.EMPTY);
        model.addAttribute("searchErrors", Map.of());
        return "practice/patients";
    }

    @Journaled(purpose = "search the patient file", resource = Resource.PATIENT, model = "found")
    @PostMapping("/cabinet/patients")
    String found(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String phone,
            @RequestParam(defaultValue = "") String birthDate,
            @RequestParam(defaultValue = "0") String page,
            HttpServletResponse response,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        SearchForm form = new SearchForm(name, phone, birthDate);
        model.addAttribute("searchForm", form);
        try {
            Paging paging = Paging.of(pageNumber(page), Paging.DEFAULT_SIZE);
            Page<OrgPatient> found = file.search(
                    staff,
                    name.isBlank() ? null : name.strip(),
                    phone.isBlank() ? null : phone,
                    date(birthDate),
                    paging);
            Page<OrgPatientView> shown =
                    new Page<>(found.items().stream().map(OrgPatientView::of).toList(), found.page());
            model.addAttribute("found", shown);
            model.addAttribute("searchErrors", Map.of());
            model.addAttribute(
                    "hasNext",
                    (long) paging.offset() + shown.items().size() < shown.page().totalItems());
        } catch (InvalidInputException e) {
            file.requireAccess(staff);
            response.setStatus(400);
            String field = Set.of("name", "phone", "birthDate").contains(e.field()) ? e.field() : "name";
            // A missing or too short criterion says what a real one is: two letters, six digits, a full date.
            String message =
                    field.equals("name") ? "practice.patients.error.criterion" : "practice.patients.error." + field;
            model.addAttribute("searchErrors", Map.of(field, message));
        }
        return "practice/patients";
    }

    @Journaled(purpose = "view patient file entry", resource = Resource.PATIENT, model = "patient")
    @GetMapping("/cabinet/patients/{orgPatientId}")
    String patient(@PathVariable UUID orgPatientId, Model model) {
        Caller.Staff staff = policy.requireStaff();
        OrgPatientView patient = OrgPatientView.of(file.entry(staff, orgPatientId));
        History history = appointments.of(staff, orgPatientId);
        Map<UUID, String> practitioners = new HashMap<>();
        Map<UUID, String> motives = new HashMap<>();
        Map<UUID, Site> sites = new HashMap<>();
        for (Visit v : history.upcoming()) {
            describe(v, practitioners, motives, sites);
        }
        for (Visit v : history.past()) {
            describe(v, practitioners, motives, sites);
        }
        model.addAttribute("patient", patient);
        model.addAttribute("upcoming", rows(history.upcoming(), practitioners, motives, sites));
        model.addAttribute("past", rows(history.past(), practitioners, motives, sites));
        return "practice/patient";
    }

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(HttpServletRequest request) {
        return notFound.notFound(request);
    }

    /** The names of an appointment's agenda, motive and site, each read once for the page. */
    private void describe(Visit v, Map<UUID, String> practitioners, Map<UUID, String> motives, Map<UUID, Site> sites) {
        practitioners.computeIfAbsent(
                v.practitionerId(),
                id -> directory.practitioner(id).map(Practitioner::displayName).orElse(""));
        motives.computeIfAbsent(
                v.motiveId(), id -> directory.motive(id).map(VisitMotive::label).orElse(""));
        if (v.siteId() != null && !sites.containsKey(v.siteId())) {
            directory.site(v.siteId()).ifPresent(s -> sites.put(s.id(), s));
        }
    }

    private List<VisitRow> rows(
            List<Visit> visits, Map<UUID, String> practitioners, Map<UUID, String> motives, Map<UUID, Site> sites) {
        return visits.stream()
                .map(v -> {
                    Site site = sites.get(v.siteId());
                    return new VisitRow(
                            v.id(),
                            v.start().atZone(site == null ? zone : site.timeZone()),
                            practitioners.get(v.practitionerId()),
                            motives.get(v.motiveId()),
                            site == null ? "" : site.name(),
                            v.status(),
                            v.cancelReason());
                })
                .toList();
    }

    private static int pageNumber(String page) {
        try {
            return Integer.parseInt(page);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("page", "must be a number");
        }
    }

    private static LocalDate date(String value) {
        if (value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("birthDate", "must be a date");
        }
    }
}
