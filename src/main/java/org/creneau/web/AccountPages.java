package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.identity.AccountChange;
import org.creneau.identity.AccountLinks;
import org.creneau.identity.AccountSettings;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.PatientAccounts;
import org.creneau.patients.PatientAccounts.Profile;
import org.creneau.patients.Patients.Person;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My account": the overview, the patient's own details (name, birth date, phone; the email is how
 * they sign in and stays), the password change and signing out everywhere. Rules are {@link
 * PatientAccounts}' and {@link AccountSettings}', the JSON API's.
 */
@Controller
class AccountPages {

    private final PatientAccounts accounts;
    private final AccountSettings settings;
    private final AccessPolicy policy;
    private final PageErrors errors;

    private final AccountLinks links;

    AccountPages(
            PatientAccounts accounts,
            AccountSettings settings,
            AccessPolicy policy,
            PageErrors errors,
            AccountLinks links) {
        this.links = links;
        this.accounts = accounts;
        this.settings = settings;
        this.policy = policy;
        this.errors = errors;
    }

    @Journaled(purpose = "view own account", resource = Resource.PATIENT, model = "people")
    @GetMapping("/mon-compte")
    String overview(Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        List<Person> people = accounts.people(me);
        model.addAttribute("people", people);
        model.addAttribute("profile", accounts.profile(me));
        model.addAttribute("relatives", people.stream().filter(p -> !p.self()).toList());
        model.addAttribute("secondFactor", settings.secondFactorEnabled(me));
        model.addAttribute("emailVerified", links.emailVerified(me.accountId()));
        return "account";
    }

    @Journaled(purpose = "view own profile", resource = Resource.PATIENT, model = "profile")
    @GetMapping("/mon-compte/profil")
    String profile(Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        Profile profile = accounts.profile(me);
        model.addAttribute("profile", profile);
        if (!model.containsAttribute("profileForm")) {
            model.addAttribute(
                    "profileForm",
                    Map.of(
                            "firstName", profile.firstName(),
                            "lastName", profile.lastName(),
                            "birthDate", profile.birthDate().toString(),
                            "phone", profile.phone()));
            model.addAttribute("profileErrors", Map.of());
        }
        return "account-profile";
    }

    @Journaled(
            purpose = "change own profile",
            resource = Resource.PATIENT,
            outcome = Outcome.UPDATED,
            model = "profile")
    @PostMapping("/mon-compte/profil")
    String changeProfile(
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            @RequestParam(defaultValue = "") String phone,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        try {
            accounts.updateProfile(me, firstName, lastName, RelativePages.date(birthDate), phone);
            redirect.addFlashAttribute(
                    "profile", new BookingPages.Added(accounts.profile(me).id()));
            redirect.addFlashAttribute("done", "profile.saved");
            return "redirect:/mon-compte";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("profileErrors", Map.of(e.field(), "field.invalid." + e.field()));
            model.addAttribute(
                    "profileForm",
                    Map.of("firstName", firstName, "lastName", lastName, "birthDate", birthDate, "phone", phone));
        }
        return profile(model);
    }

    @GetMapping("/mon-compte/mot-de-passe")
    String passwordPage(Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient)) {
            return "redirect:/se-connecter";
        }
        if (!model.containsAttribute("passwordErrors")) {
            model.addAttribute("passwordErrors", Map.of());
        }
        return "account-password";
    }

    @PostMapping("/mon-compte/mot-de-passe")
    String changePassword(
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newPassword,
            HttpServletRequest request,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        AccountChange change;
        try {
            change = settings.changePassword(me, currentPassword, newPassword, request);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("passwordErrors", Map.of("newPassword", "field.invalid.password"));
            return passwordPage(model);
        }
        switch (change.outcome()) {
            case DONE -> {
                redirect.addFlashAttribute("done", "password.changed");
                return "redirect:/mon-compte";
            }
            case THROTTLED -> {
                response.setStatus(429);
                model.addAttribute("retryAfter", change.retryAfterSeconds());
                model.addAttribute("passwordErrors", Map.of("currentPassword", "signin.error.throttled"));
            }
            default -> {
                response.setStatus(400);
                model.addAttribute("passwordErrors", Map.of("currentPassword", "password.wrongCurrent"));
            }
        }
        return passwordPage(model);
    }

    @PostMapping("/mon-compte/deconnecter-partout")
    String signOutEverywhere(HttpServletRequest request) {
        if (policy.currentCaller() instanceof Caller.Patient me) {
            settings.signOutEverywhere(me, request);
        }
        return "redirect:/se-connecter";
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }
}
