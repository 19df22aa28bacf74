package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.availability.AgendaSettings;
import org.creneau.availability.AgendaSettings.NewAbsence;
import org.creneau.availability.AgendaSettings.NewOpeningRange;
import org.creneau.availability.AgendaSettings.Range;
import org.creneau.availability.AgendaSettings.Rules;
import org.creneau.booking.CoveredAppointments;
import org.creneau.booking.CoveredAppointments.Covered;
import org.creneau.booking.CoveredAppointments.Preview;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Resource;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.StaffPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An agenda's settings as pages, for staff holding the "manage agenda settings" right on it: motives,
 * weekly opening ranges, absences (the appointments an absence cancels are shown before it is
 * confirmed) and booking rules. Every change goes through {@link AgendaSettings}, like the JSON API's;
 * each form posts, then redirects, and a refused one is shown again with what was typed and the error
 * at its field. Without the right the agenda does not exist here, as in the API.
 */
@Controller
@StaffPage
@RequestMapping("/cabinet/agenda/{practitionerId}/reglages")
class AgendaSettingsPages {

    private static final String PAGE = "practice/settings";

    private final AgendaSettings settings;
    private final CoveredAppointments covered;
    private final Directory directory;
    private final AccessPolicy policy;
    private final WorkspaceErrors notFound;
    private final AgendaZones zones;

    AgendaSettingsPages(
            AgendaSettings settings,
            CoveredAppointments covered,
            Directory directory,
            AccessPolicy policy,
            WorkspaceErrors notFound,
            AgendaZones zones) {
        this.settings = settings;
        this.covered = covered;
        this.directory = directory;
        this.policy = policy;
        this.notFound = notFound;
        this.zones = zones;
    }

    /** A motive as the page lists and edits it; {@code ownCutoffHours} null: the agenda's rule. */
    record MotiveRow(
            UUID id,
            String label,
            long durationMinutes,
            boolean onlineBookable,
            boolean newPatientsAllowed,
            String instructions,
            Integer ownCutoffHours) {}

    record RangeRow(
            UUID id,
            String site,
            DayOfWeek weekday,
            LocalTime start,
            LocalTime end,
            LocalDate validFrom,
            LocalDate validUntil,
            List<String> motives) {}

    record AbsenceRow(UUID id, ZonedDateTime from, ZonedDateTime to, String reason) {}

    /** An appointment the absence would cancel, in the agenda's time zone. */
    record CoveredRow(UUID id, String patient, ZonedDateTime start, ZonedDateTime end, String motive) {}

    /** What the motive form sends back, kept to fill it again after a refusal. */
    record MotiveForm(
            String label,
            String durationMinutes,
            boolean onlineBookable,
            boolean newPatientsAllowed,
            String instructions,
            String cancellationCutoffHours) {
        static final MotiveForm EMPTY = new MotiveForm("", "30", true, true, "", "");

        static MotiveForm of(MotiveRow m) {
            return new MotiveForm(
                    m.label(),
                    Long.toString(m.durationMinutes()),
                    m.onlineBookable(),
                    m.newPatientsAllowed(),
                    m.instructions() == null ? "" : m.instructions(),
                    m.ownCutoffHours() == null ? "" : m.ownCutoffHours().toString());
        }

        NewMotive toMotive() {
            return new NewMotive(
                    label,
                    number("durationMinutes", durationMinutes),
                    onlineBookable,
                    newPatientsAllowed,
                    instructions.isBlank() ? null : instructions,
                    cancellationCutoffHours.isBlank()
                            ? null
                            : number("cancellationCutoffHours", cancellationCutoffHours));
        }
    }

    record RangeForm(
            String siteId,
            String weekday,
            String start,
            String end,
            String validFrom,
            String validUntil,
            List<String> motiveIds) {
        public boolean has(UUID motiveId) {
            return motiveIds.contains(motiveId.toString());
        }
    }

    record AbsenceForm(String from, String to, String reason, String patientMessage) {
        static final AbsenceForm EMPTY = new AbsenceForm("", "", "", "");
    }

    record RulesForm(String minNoticeMinutes, String horizonDays, String cancellationCutoffHours) {
        static RulesForm of(Rules r) {
            return new RulesForm(
                    Integer.toString(r.minNoticeMinutes()),
                    Integer.toString(r.horizonDays()),
                    Integer.toString(r.cancellationCutoffHours()));
        }
    }

    @GetMapping
    String page(@PathVariable UUID practitionerId, Model model) {
        return settingsPage(policy.requireStaff(), practitionerId, model);
    }

    @PostMapping("/regles")
    String rules(
            @PathVariable UUID practitionerId,
            @RequestParam(defaultValue = "") String minNoticeMinutes,
            @RequestParam(defaultValue = "") String horizonDays,
            @RequestParam(defaultValue = "") String cancellationCutoffHours,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        RulesForm form = new RulesForm(minNoticeMinutes, horizonDays, cancellationCutoffHours);
        try {
            settings.updateRules(
                    staff,
                    practitionerId,
                    new Rules(
                            number("minNoticeMinutes", minNoticeMinutes),
                            number("horizonDays", horizonDays),
                            number("cancellationCutoffHours", cancellationCutoffHours)));
            return done(redirect, practitionerId, "practice.settings.rules.saved", "rules");
        } catch (InvalidInputException e) {
            return refused(staff, practitionerId, response, model, "rules", form, e);
        }
    }

    @PostMapping("/motifs")
    String addMotive(
            @PathVariable UUID practitionerId,
            @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String durationMinutes,
            @RequestParam(defaultValue = "false") boolean onlineBookable,
            @RequestParam(defaultValue = "false") boolean newPatientsAllowed,
            @RequestParam(defaultValue = "") String instructions,
            @RequestParam(defaultValue = "") String cancellationCutoffHours,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        MotiveForm form = new MotiveForm(
                label, durationMinutes, onlineBookable, newPatientsAllowed, instructions, cancellationCutoffHours);
        try {
            settings.createMotive(staff, practitionerId, form.toMotive());
            return done(redirect, practitionerId, "practice.settings.motive.added", "motives");
        } catch (InvalidInputException e) {
            return refused(staff, practitionerId, response, model, "motive", form, e);
        }
    }

    @GetMapping("/motifs/{motiveId}")
    String motive(@PathVariable UUID practitionerId, @PathVariable UUID motiveId, Model model) {
        Caller.Staff staff = policy.requireStaff();
        MotiveRow motive = motiveRows(staff, practitionerId).stream()
                .filter(m -> m.id().equals(motiveId))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("motive"));
        model.addAttribute("motiveForm", MotiveForm.of(motive));
        model.addAttribute("motiveErrors", Map.of());
        return motivePage(staff, practitionerId, motive, model);
    }

    @PostMapping("/motifs/{motiveId}")
    String changeMotive(
            @PathVariable UUID practitionerId,
            @PathVariable UUID motiveId,
            @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String durationMinutes,
            @RequestParam(defaultValue = "false") boolean onlineBookable,
            @RequestParam(defaultValue = "false") boolean newPatientsAllowed,
            @RequestParam(defaultValue = "") String instructions,
            @RequestParam(defaultValue = "") String cancellationCutoffHours,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        MotiveForm form = new MotiveForm(
                label, durationMinutes, onlineBookable, newPatientsAllowed, instructions, cancellationCutoffHours);
        try {
            settings.updateMotive(staff, practitionerId, motiveId, form.toMotive());
            return done(redirect, practitionerId, "practice.settings.motive.changed", "motives");
        } catch (InvalidInputException e) {
            MotiveRow motive = motiveRows(staff, practitionerId).stream()
                    .filter(m -> m.id().equals(motiveId))
                    .findFirst()
                    .orElseThrow(() -> new NotFoundException("motive"));
            response.setStatus(400);
            model.addAttribute("motiveForm", form);
            model.addAttribute("motiveErrors", errorAt(e));
            return motivePage(staff, practitionerId, motive, model);
        }
    }

    @PostMapping("/plages")
    String addRange(
            @PathVariable UUID practitionerId,
            @RequestParam(defaultValue = "") String siteId,
            @RequestParam(defaultValue = "") String weekday,
            @RequestParam(defaultValue = "") String start,
            @RequestParam(defaultValue = "") String end,
            @RequestParam(defaultValue = "") String validFrom,
            @RequestParam(defaultValue = "") String validUntil,
            @RequestParam(required = false) List<String> motiveIds,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        List<String> chosen = motiveIds == null ? List.of() : motiveIds;
        RangeForm form = new RangeForm(siteId, weekday, start, end, validFrom, validUntil, chosen);
        try {
            settings.addOpeningRange(
                    staff,
                    new NewOpeningRange(
                            practitionerId,
                            id("siteId", siteId),
                            weekday(weekday),
                            time("start", start),
                            time("end", end),
                            date("validFrom", validFrom),
                            validUntil.isBlank() ? null : date("validUntil", validUntil),
                            chosen.stream().map(m -> id("motiveIds", m)).toList()));
            return done(redirect, practitionerId, "practice.settings.range.added", "ranges");
        } catch (InvalidInputException e) {
            return refused(staff, practitionerId, response, model, "range", form, e);
        }
    }

    @PostMapping("/plages/{rangeId}/supprimer")
    String removeRange(@PathVariable UUID practitionerId, @PathVariable UUID rangeId, RedirectAttributes redirect) {
        settings.removeOpeningRange(policy.requireStaff(), practitionerId, rangeId);
        return done(redirect, practitionerId, "practice.settings.range.removed", "ranges");
    }

    /**
     * The absence asked for, before it is added: the appointments it would cancel, each with its
     * patient and time, and the button that confirms. A read: nothing changes until that button.
     */
    @Journaled(purpose = "absence preview", resource = Resource.APPOINTMENT, model = "covered")
    @PostMapping("/absences/apercu")
    String previewAbsence(
            @PathVariable UUID practitionerId,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(defaultValue = "") String reason,
            @RequestParam(defaultValue = "") String patientMessage,
            HttpServletResponse response,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        AbsenceForm form = new AbsenceForm(from, to, reason, patientMessage);
        ZoneId zone = zones.of(practitionerId);
        try {
            NewAbsence absence = absence(form, zone);
            Preview preview = covered.coveredBy(staff, practitionerId, absence.from(), absence.to());
            return previewPage(staff, practitionerId, form, preview, zone, model);
        } catch (InvalidInputException e) {
            return refused(staff, practitionerId, response, model, "absence", form, e);
        }
    }

    /**
     * Adds the absence once confirmed; the appointments it covers are cancelled with it. If they are
     * no longer those the confirmation page listed (one was booked or cancelled meanwhile), nothing is
     * added and the confirmation page comes again with the appointments as they are now.
     */
    @Journaled(purpose = "absence preview", resource = Resource.APPOINTMENT, model = "covered")
    @PostMapping("/absences")
    String addAbsence(
            @PathVariable UUID practitionerId,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(defaultValue = "") String reason,
            @RequestParam(defaultValue = "") String patientMessage,
            @RequestParam(defaultValue = "") String shown,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        Caller.Staff staff = policy.requireStaff();
        AbsenceForm form = new AbsenceForm(from, to, reason, patientMessage);
        ZoneId zone = zones.of(practitionerId);
        try {
            NewAbsence absence = absence(form, zone);
            Preview now = covered.coveredBy(staff, practitionerId, absence.from(), absence.to());
            if (!fingerprint(now).equals(shown)) {
                response.setStatus(409);
                model.addAttribute("changed", true);
                return previewPage(staff, practitionerId, form, now, zone, model);
            }
            settings.addAbsence(staff, practitionerId, absence);
            return done(redirect, practitionerId, "practice.settings.absence.added", "absences");
        } catch (InvalidInputException e) {
            return refused(staff, practitionerId, response, model, "absence", form, e);
        }
    }

    @PostMapping("/absences/{absenceId}/supprimer")
    String removeAbsence(@PathVariable UUID practitionerId, @PathVariable UUID absenceId, RedirectAttributes redirect) {
        settings.removeAbsence(policy.requireStaff(), practitionerId, absenceId);
        return done(redirect, practitionerId, "practice.settings.absence.removed", "absences");
    }

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(HttpServletRequest request) {
        return notFound.notFound(request);
    }

    private String settingsPage(Caller.Staff staff, UUID practitionerId, Model model) {
        List<MotiveRow> motives = motiveRows(staff, practitionerId);
        Map<UUID, String> motiveLabels = motives.stream().collect(Collectors.toMap(MotiveRow::id, MotiveRow::label));
        List<Site> sites = settings.sites(staff, practitionerId);
        Map<UUID, String> siteNames = sites.stream().collect(Collectors.toMap(Site::id, Site::name));
        ZoneId zone = zones.of(practitionerId);
        List<RangeRow> ranges = settings.openingRanges(staff, practitionerId).stream()
                .sorted(Comparator.comparing(Range::weekday).thenComparing(Range::start))
                .map(r -> new RangeRow(
                        r.id(),
                        siteNames.getOrDefault(r.siteId(), ""),
                        r.weekday(),
                        r.start(),
                        r.end(),
                        r.validFrom(),
                        r.validUntil(),
                        motives.stream()
                                .map(MotiveRow::id)
                                .filter(r.motiveIds()::contains)
                                .map(motiveLabels::get)
                                .toList()))
                .toList();
        List<AbsenceRow> absences = settings.absences(staff, practitionerId, null, null).stream()
                .map(a -> new AbsenceRow(a.id(), a.from().atZone(zone), a.to().atZone(zone), a.reason()))
                .toList();
        model.addAttribute("practitionerId", practitionerId);
        model.addAttribute("agenda", agenda(staff, practitionerId));
        model.addAttribute("motives", motives);
        model.addAttribute("ranges", ranges);
        model.addAttribute("sites", sites);
        model.addAttribute("absences", absences);
        model.addAttribute("weekdays", DayOfWeek.values());
        model.addAttribute("zone", zone);
        if (!model.containsAttribute("rulesForm")) {
            model.addAttribute("rulesForm", RulesForm.of(settings.rules(staff, practitionerId)));
        }
        if (!model.containsAttribute("motiveForm")) {
            model.addAttribute("motiveForm", MotiveForm.EMPTY);
        }
        if (!model.containsAttribute("rangeForm")) {
            model.addAttribute(
                    "rangeForm",
                    new RangeForm(
                            sites.isEmpty() ? "" : sites.get(0).id().toString(),
                            DayOfWeek.MONDAY.name(),
                            "09:00",
                            "12:00",
                            "",
                            "",
                            List.of()));
        }
        if (!model.containsAttribute("absenceForm")) {
            model.addAttribute("absenceForm", AbsenceForm.EMPTY);
        }
        for (String form : List.of("rules", "motive", "range", "absence")) {
            if (!model.containsAttribute(form + "Errors")) {
                model.addAttribute(form + "Errors", Map.of());
            }
        }
        return PAGE;
    }

    private String previewPage(
            Caller.Staff staff, UUID practitionerId, AbsenceForm form, Preview preview, ZoneId zone, Model model) {
        Map<UUID, String> motives = directory.motivesOf(practitionerId).stream()
                .collect(Collectors.toMap(VisitMotive::id, VisitMotive::label));
        List<Covered> shown = preview.appointments();
        model.addAttribute("covered", shown);
        model.addAttribute(
                "coveredRows",
                shown.stream()
                        .map(c -> new CoveredRow(
                                c.id(),
                                c.patientFirstName() == null ? null : c.patientFirstName() + " " + c.patientLastName(),
                                c.start().atZone(zone),
                                c.end().atZone(zone),
                                motives.getOrDefault(c.motiveId(), "")))
                        .toList());
        model.addAttribute("coveredTotal", preview.total());
        model.addAttribute("shown", fingerprint(preview));
        model.addAttribute("absenceForm", form);
        model.addAttribute("absenceFrom", LocalDateTime.parse(form.from()).atZone(zone));
        model.addAttribute("absenceTo", LocalDateTime.parse(form.to()).atZone(zone));
        model.addAttribute("practitionerId", practitionerId);
        model.addAttribute("agenda", agenda(staff, practitionerId));
        return "practice/settings-absence";
    }

    /** What the confirmation page listed, to tell at confirmation whether it still holds. */
    private static String fingerprint(Preview preview) {
        return preview.total() + ":"
                + preview.appointments().stream()
                        .map(c -> c.id().toString())
                        .sorted()
                        .collect(Collectors.joining(","));
    }

    private String motivePage(Caller.Staff staff, UUID practitionerId, MotiveRow motive, Model model) {
        model.addAttribute("practitionerId", practitionerId);
        model.addAttribute("agenda", agenda(staff, practitionerId));
        model.addAttribute("motive", motive);
        return "practice/settings-motive";
    }

    private List<MotiveRow> motiveRows(Caller.Staff staff, UUID practitionerId) {
        List<VisitMotive> motives = settings.motives(staff, practitionerId);
        Map<UUID, Integer> cutoffs = settings.ownCancellationCutoffs(staff, practitionerId);
        List<MotiveRow> rows = new ArrayList<>();
        for (VisitMotive m : motives) {
            rows.add(new MotiveRow(
                    m.id(),
                    m.label(),
                    m.duration().toMinutes(),
                    m.onlineBookable(),
                    m.newPatientsAllowed(),
                    m.instructions(),
                    cutoffs.get(m.id())));
        }
        return rows;
    }

    /** The form again, with what was typed and the error at its field (status 400). */
    private String refused(
            Caller.Staff staff,
            UUID practitionerId,
            HttpServletResponse response,
            Model model,
            String formName,
            Object form,
            InvalidInputException e) {
        response.setStatus(400);
        model.addAttribute(formName + "Form", form);
        model.addAttribute(formName + "Errors", errorAt(e));
        return settingsPage(staff, practitionerId, model);
    }

    private static final Set<String> FIELDS = Set.of(
            "label",
            "durationMinutes",
            "instructions",
            "cancellationCutoffHours",
            "siteId",
            "weekday",
            "start",
            "end",
            "validFrom",
            "validUntil",
            "motiveIds",
            "from",
            "to",
            "reason",
            "patientMessage",
            "minNoticeMinutes",
            "horizonDays");

    /** The field at fault and the message key saying what is wrong with it. */
    private static Map<String, String> errorAt(InvalidInputException e) {
        String field = FIELDS.contains(e.field()) ? e.field() : "form";
        return Map.of(field, "practice.settings.error." + field);
    }

    private static String done(RedirectAttributes redirect, UUID practitionerId, String message, String section) {
        redirect.addFlashAttribute("done", message);
        return "redirect:/cabinet/agenda/" + practitionerId + "/reglages#" + section;
    }

    /** The agenda's name as its staff know it (the right was checked by the settings read before). */
    private String agenda(Caller.Staff staff, UUID practitionerId) {
        return directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(staff.organizationId()))
                .map(Practitioner::displayName)
                .orElseThrow(() -> new NotFoundException("agenda"));
    }

    private static NewAbsence absence(AbsenceForm form, ZoneId zone) {
        return new NewAbsence(
                dateTime("from", form.from(), zone),
                dateTime("to", form.to(), zone),
                form.reason().isBlank() ? null : form.reason().strip(),
                form.patientMessage().isBlank() ? null : form.patientMessage().strip());
    }

    static int number(String field, String value) {
        return parsed(field, value, v -> Integer.parseInt(v.strip()));
    }

    private static UUID id(String field, String value) {
        return parsed(field, value, UUID::fromString);
    }

    private static DayOfWeek weekday(String value) {
        return parsed("weekday", value, DayOfWeek::valueOf);
    }

    private static LocalTime time(String field, String value) {
        return parsed(field, value, LocalTime::parse);
    }

    private static LocalDate date(String field, String value) {
        return parsed(field, value, LocalDate::parse);
    }

    private static java.time.Instant dateTime(String field, String value, ZoneId zone) {
        return parsed(field, value, v -> LocalDateTime.parse(v).atZone(zone).toInstant());
    }

    private static <T> T parsed(String field, String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            throw new InvalidInputException(field, "is not valid");
        }
    }
}
