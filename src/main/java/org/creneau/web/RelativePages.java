package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.PatientAccounts;
import org.creneau.patients.Patients.Person;
import org.creneau.patients.Patients.Relationship;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My account", the relatives: the people the patient books for, listed, added, changed and
 * removed with {@link PatientAccounts}' rules (the JSON API's). A relative with an appointment to
 * come is not removed: the page says so and points to the appointments. Another account's relative
 * answers exactly like a missing one.
 */
@Controller
class RelativePages {

    private final PatientAccounts accounts;
    private final AccessPolicy policy;
    private final PageErrors errors;

    RelativePages(PatientAccounts accounts, AccessPolicy policy, PageErrors errors) {
        this.accounts = accounts;
        this.policy = policy;
        this.errors = errors;
    }

    /** What the relative form sends back, kept to fill it again after a refusal. */
    record RelativeForm(String relationship, String firstName, String lastName, String birthDate) {
        static RelativeForm of(Person p) {
            return new RelativeForm(
                    p.relationship().name(),
                    p.firstName(),
                    p.lastName(),
                    p.birthDate().toString());
        }

        Map<String, String> values() {
            return Map.of(
                    "relationship", relationship, "firstName", firstName, "lastName", lastName, "birthDate", birthDate);
        }
    }

    @Journaled(purpose = "list own relatives", resource = Resource.PATIENT, model = "relatives")
    @GetMapping("/mon-compte/proches")
    String list(Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        return listPage(me, model);
    }

    @Journaled(purpose = "add a relative", resource = Resource.PATIENT, outcome = Outcome.CREATED, model = "relative")
    @PostMapping("/mon-compte/proches")
    String add(
            @RequestParam(defaultValue = "") String relationship,
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        RelativeForm form = new RelativeForm(relationship, firstName, lastName, birthDate);
        try {
            UUID id = accounts.addRelative(me, parse(relationship), firstName, lastName, date(birthDate));
            redirect.addFlashAttribute("relative", new BookingPages.Added(id));
            redirect.addFlashAttribute("done", "relatives.added");
            return "redirect:/mon-compte/proches";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("relativeErrors", Map.of(e.field(), "field.invalid." + e.field()));
        } catch (ConflictException e) {
            response.setStatus(409);
            model.addAttribute("problem", "problem." + e.code());
        }
        model.addAttribute("relativeForm", form.values());
        return listPage(me, model);
    }

    @Journaled(purpose = "view own relative", resource = Resource.PATIENT, model = "relative")
    @GetMapping("/mon-compte/proches/{id}")
    String one(@PathVariable UUID id, Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        Person relative = accounts.relative(me, id);
        if (!model.containsAttribute("relativeForm")) {
            model.addAttribute("relativeForm", RelativeForm.of(relative).values());
            model.addAttribute("relativeErrors", Map.of());
        }
        model.addAttribute("relative", relative);
        return formPage(id, model);
    }

    @Journaled(
            purpose = "change a relative",
            resource = Resource.PATIENT,
            outcome = Outcome.UPDATED,
            model = "relative")
    @PostMapping("/mon-compte/proches/{id}")
    String change(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String relationship,
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        try {
            accounts.updateRelative(me, id, parse(relationship), firstName, lastName, date(birthDate));
            redirect.addFlashAttribute("relative", new BookingPages.Added(id));
            redirect.addFlashAttribute("done", "relatives.changed");
            return "redirect:/mon-compte/proches";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("relativeErrors", Map.of(e.field(), "field.invalid." + e.field()));
            model.addAttribute("relativeForm", new RelativeForm(relationship, firstName, lastName, birthDate).values());
        }
        // The form again with what was typed: nothing of the stored relative is read, nothing changed.
        return formPage(id, model);
    }

    @Journaled(
            purpose = "remove a relative",
            resource = Resource.PATIENT,
            outcome = Outcome.UPDATED,
            model = "relative")
    @PostMapping("/mon-compte/proches/{id}/retirer")
    String remove(@PathVariable UUID id, RedirectAttributes redirect) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        try {
            accounts.removeRelative(me, id);
            redirect.addFlashAttribute("relative", new BookingPages.Added(id));
            redirect.addFlashAttribute("done", "relatives.removed");
            return "redirect:/mon-compte/proches";
        } catch (ConflictException e) {
            // Said on the relative's page, which reads (and journals) the relative as any visit does.
            redirect.addFlashAttribute("removeProblem", "problem." + e.code());
            return "redirect:/mon-compte/proches/" + id;
        }
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }

    private String formPage(UUID id, Model model) {
        model.addAttribute("relativeId", id);
        model.addAttribute("relationships", Relationship.values());
        return "account-relative";
    }

    private String listPage(Caller.Patient me, Model model) {
        List<Person> relatives =
                accounts.people(me).stream().filter(p -> !p.self()).toList();
        model.addAttribute("relatives", relatives);
        model.addAttribute("relationships", Relationship.values());
        if (!model.containsAttribute("relativeForm")) {
            model.addAttribute("relativeForm", Map.of());
        }
        if (!model.containsAttribute("relativeErrors")) {
            model.addAttribute("relativeErrors", Map.of());
        }
        return "account-relatives";
    }

    static Relationship parse(String relationship) {
        try {
            return Relationship.valueOf(relationship);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("relationship", "is not a relationship");
        }
    }

    static LocalDate date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("birthDate", "must be a date");
        }
    }
}
