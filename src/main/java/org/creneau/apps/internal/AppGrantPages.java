package org.creneau.apps.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.access.AccessPolicy;
import org.creneau.apps.SmartScope;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.guard.GrantLimits;
import org.creneau.guard.LimitAboveCeiling;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The organization admin's page for connected apps: the organization's grants, a form to grant an
 * app by its client id, and the buttons and limits of each grant. The same {@link AppGrants} calls
 * and the same {@link AccessPolicy#requireOrgAdmin} check as {@link AppGrantController}, so other
 * staff get 404 here too.
 */
@Controller
@StaffPage
@RequestMapping("/admin/grants")
class AppGrantPages {

    private final AccessPolicy policy;
    private final AppGrants grants;
    private final Directory directory;

    AppGrantPages(AccessPolicy policy, AppGrants grants, Directory directory) {
        this.policy = policy;
        this.grants = grants;
        this.directory = directory;
    }

    /** What the grant form holds, so a refused form comes back as it was typed. */
    record GrantForm(String clientId, List<String> scopes, boolean contactDetails) {}

    /** The limits form: text as typed, blank meaning the platform's default. */
    record LimitsForm(
            String newPatientsPer10Minutes,
            String patientsPerHour,
            String patientsPerDay,
            String appointmentsPerHour,
            String appointmentsPerDay,
            String requestsPerMinute,
            String searchesPer10Minutes,
            String searchWindowsPerHour,
            String unseenReadsPerHour,
            String refusalsPer10Minutes,
            String distantPastPerDay,
            String patientSharePercent,
            String allowedFrom,
            String allowedTo,
            String timeZone) {

        static LimitsForm of(GrantLimits l) {
            return new LimitsForm(
                    text(l.newPatientsPer10Minutes()),
                    text(l.patientsPerHour()),
                    text(l.patientsPerDay()),
                    text(l.appointmentsPerHour()),
                    text(l.appointmentsPerDay()),
                    text(l.requestsPerMinute()),
                    text(l.searchesPer10Minutes()),
                    text(l.searchWindowsPerHour()),
                    text(l.unseenReadsPerHour()),
                    text(l.refusalsPer10Minutes()),
                    text(l.distantPastPerDay()),
                    text(l.patientSharePercent()),
                    text(l.allowedFrom()),
                    text(l.allowedTo()),
                    text(l.timeZone()));
        }

        /** The JSON API's limits, so both are checked by {@link AppGrantController.Limits#parse}. */
        AppGrantController.Limits limits() {
            return new AppGrantController.Limits(
                    number("newPatientsPer10Minutes", newPatientsPer10Minutes),
                    number("patientsPerHour", patientsPerHour),
                    number("patientsPerDay", patientsPerDay),
                    number("appointmentsPerHour", appointmentsPerHour),
                    number("appointmentsPerDay", appointmentsPerDay),
                    number("requestsPerMinute", requestsPerMinute),
                    number("searchesPer10Minutes", searchesPer10Minutes),
                    number("searchWindowsPerHour", searchWindowsPerHour),
                    number("unseenReadsPerHour", unseenReadsPerHour),
                    number("refusalsPer10Minutes", refusalsPer10Minutes),
                    number("distantPastPerDay", distantPastPerDay),
                    number("patientSharePercent", patientSharePercent),
                    blankToNull(allowedFrom),
                    blankToNull(allowedTo),
                    blankToNull(timeZone));
        }

        /** The value typed in the field {@code name}, as the page shows it back (public: the template calls it). */
        public String value(String name) {
            return switch (name) {
                case "newPatientsPer10Minutes" -> newPatientsPer10Minutes;
                case "patientsPerHour" -> patientsPerHour;
                case "patientsPerDay" -> patientsPerDay;
                case "appointmentsPerHour" -> appointmentsPerHour;
                case "appointmentsPerDay" -> appointmentsPerDay;
                case "requestsPerMinute" -> requestsPerMinute;
                case "searchesPer10Minutes" -> searchesPer10Minutes;
                case "searchWindowsPerHour" -> searchWindowsPerHour;
                case "unseenReadsPerHour" -> unseenReadsPerHour;
                case "refusalsPer10Minutes" -> refusalsPer10Minutes;
                case "distantPastPerDay" -> distantPastPerDay;
                case "patientSharePercent" -> patientSharePercent;
                case "allowedFrom" -> allowedFrom;
                case "allowedTo" -> allowedTo;
                case "timeZone" -> timeZone;
                default -> throw new IllegalArgumentException(name);
            };
        }

        private static Integer number(String field, String value) {
            String v = blankToNull(value);
            if (v == null) {
                return null;
            }
            try {
                return Integer.valueOf(v);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(field, "must be a whole number");
            }
        }

        private static String text(Object value) {
            return value == null ? "" : value.toString();
        }
    }

    /** One field of the limits form, named as in {@link AppGrantController.Limits}; its label is {@code admin.limits.<name>}. */
    record LimitField(String name, boolean number) {}

    static final List<LimitField> LIMIT_FIELDS = List.of(
            new LimitField("newPatientsPer10Minutes", true),
            new LimitField("patientsPerHour", true),
            new LimitField("patientsPerDay", true),
            new LimitField("appointmentsPerHour", true),
            new LimitField("appointmentsPerDay", true),
            new LimitField("requestsPerMinute", true),
            new LimitField("searchesPer10Minutes", true),
            new LimitField("searchWindowsPerHour", true),
            new LimitField("unseenReadsPerHour", true),
            new LimitField("refusalsPer10Minutes", true),
            new LimitField("distantPastPerDay", true),
            new LimitField("patientSharePercent", true),
            new LimitField("allowedFrom", false),
            new LimitField("allowedTo", false),
            new LimitField("timeZone", false));

    /** A refused limits form, shown again on its own grant with what was typed. */
    record TypedLimits(UUID grantId, LimitsForm form) {}

    record GrantRow(AppGrants.Grant grant, String agendas, LimitsForm limits) {}

    @GetMapping
    String list(@RequestParam(required = false) Integer page, Model model) {
        AppGrants.Grantor admin = AppGrants.Grantor.admin(policy.requireOrgAdmin());
        return render(admin, page, new GrantForm("", List.of(), false), Map.of(), null, model);
    }

    @PostMapping
    String grant(
            @RequestParam(defaultValue = "") String clientId,
            @RequestParam(required = false) List<String> scopes,
            @RequestParam(defaultValue = "false") boolean contactDetails,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        AppGrants.Grantor admin = AppGrants.Grantor.admin(policy.requireOrgAdmin());
        GrantForm form = new GrantForm(clientId, scopes == null ? List.of() : scopes, contactDetails);
        Map<String, String> errors = new HashMap<>();
        try {
            AppGrants.Grant granted = grants.grant(
                    admin, new AppGrants.NewGrant(null, blankToNull(clientId), form.scopes(), null, contactDetails));
            redirect.addFlashAttribute("message", "admin.grants.granted");
            redirect.addFlashAttribute("messageName", granted.appName());
            return "redirect:/admin/grants";
        } catch (InvalidInputException e) {
            String field = e.field().equals("appId") ? "clientId" : e.field();
            errors.put(field, "admin.error." + field);
        } catch (NotFoundException e) {
            errors.put("clientId", "admin.error.unknownClientId");
        } catch (ConflictException e) {
            errors.put(
                    "clientId",
                    e.code().equals("grant-exists") ? "admin.error.grantExists" : "admin.error.appSuspended");
        }
        response.setStatus(400);
        return render(admin, null, form, errors, null, model);
    }

    @PostMapping("/{grantId}/suspend")
    String suspend(@PathVariable UUID grantId, RedirectAttributes redirect) {
        AppGrants.Grantor admin = AppGrants.Grantor.admin(policy.requireOrgAdmin());
        return changed(() -> grants.suspend(admin, grantId), "admin.grants.suspended", redirect);
    }

    @PostMapping("/{grantId}/resume")
    String resume(@PathVariable UUID grantId, RedirectAttributes redirect) {
        AppGrants.Grantor admin = AppGrants.Grantor.admin(policy.requireOrgAdmin());
        return changed(() -> grants.resume(admin, grantId), "admin.grants.resumed", redirect);
    }

    @PostMapping("/{grantId}/revoke")
    String revoke(@PathVariable UUID grantId, RedirectAttributes redirect) {
        AppGrants.Grantor admin = AppGrants.Grantor.admin(policy.requireOrgAdmin());
        return changed(() -> grants.revoke(admin, grantId), "admin.grants.revoked", redirect);
    }

    @PostMapping("/{grantId}/limits")
    String limit(
            @PathVariable UUID grantId,
            @ModelAttribute LimitsForm form,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        AppGrants.Grantor admin = AppGrants.Grantor.admin(policy.requireOrgAdmin());
        try {
            GrantLimits limits = form.limits().parse();
            return changed(
                    () -> grants.limit(admin, grantId, limits, "POST /admin/grants/{grantId}/limits"),
                    "admin.grants.limited",
                    redirect);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(
                    admin,
                    null,
                    new GrantForm("", List.of(), false),
                    Map.of(e.field(), limitErrorKey(e.field())),
                    new TypedLimits(grantId, form),
                    model);
        } catch (LimitAboveCeiling e) {
            response.setStatus(422);
            return render(
                    admin,
                    null,
                    new GrantForm("", List.of(), false),
                    Map.of(e.field(), "admin.error.ceiling"),
                    new TypedLimits(grantId, form),
                    model);
        }
    }

    private String changed(
            java.util.function.Supplier<AppGrants.Grant> change, String done, RedirectAttributes redirect) {
        try {
            AppGrants.Grant grant = change.get();
            redirect.addFlashAttribute("message", done);
            redirect.addFlashAttribute("messageName", grant.appName());
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", "admin.error.revokedStays");
        }
        return "redirect:/admin/grants";
    }

    private String render(
            AppGrants.Grantor admin,
            Integer page,
            GrantForm form,
            Map<String, String> errors,
            TypedLimits typed,
            Model model) {
        Page<AppGrants.Grant> found = grants.list(admin, Paging.of(page, null));
        model.addAttribute(
                "grants",
                found.items().stream()
                        .map(g -> new GrantRow(
                                g,
                                agendas(g),
                                typed != null && typed.grantId().equals(g.id())
                                        ? typed.form()
                                        : LimitsForm.of(g.limits())))
                        .toList());
        model.addAttribute("page", found.page());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("limitsGrantId", typed == null ? null : typed.grantId());
        model.addAttribute("allScopes", SmartScope.ALL);
        model.addAttribute("limitFields", LIMIT_FIELDS);
        return "admin/grants";
    }

    private String agendas(AppGrants.Grant grant) {
        if (grant.practitionerIds() == null || grant.practitionerIds().isEmpty()) {
            return null; // every agenda: the page says so in its language
        }
        return grant.practitionerIds().stream()
                .map(id -> directory
                        .practitioner(id)
                        .map(Practitioner::displayName)
                        .orElse(id.toString()))
                .collect(Collectors.joining(", "));
    }

    /** The message of a refused limit: what the field expects. */
    private static String limitErrorKey(String field) {
        return switch (field) {
            case "allowedFrom", "allowedTo" -> "admin.error.time";
            case "timeZone" -> "admin.error.timeZone";
            default -> "admin.error.number";
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
