package org.creneau.apps.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.SmartScope;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform admin's page for the registry of connected apps: the list, a registration form and
 * the suspend and reactivate buttons. The same {@link ConnectedAppRegistry} calls and the same
 * {@link AccessPolicy#requirePlatformAdmin} check as {@link ConnectedAppAdminController}.
 */
@Controller
@StaffPage
@RequestMapping("/admin/apps")
class ConnectedAppPages {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final AccessPolicy policy;
    private final ConnectedAppRegistry registry;
    private final JsonMapper json;

    ConnectedAppPages(AccessPolicy policy, ConnectedAppRegistry registry, JsonMapper json) {
        this.policy = policy;
        this.registry = registry;
        this.json = json;
    }

    /** What the registration form holds, so a refused form comes back as it was typed. */
    record AppForm(String name, String contact, String jwksUrl, String jwks, List<String> scopes) {

        static final AppForm EMPTY = new AppForm("", "", "", "", List.of());
    }

    @GetMapping
    String list(@RequestParam(required = false) Integer page, Model model) {
        policy.requirePlatformAdmin();
        return render(page, AppForm.EMPTY, Map.of(), model);
    }

    @PostMapping
    String register(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String contact,
            @RequestParam(defaultValue = "") String jwksUrl,
            @RequestParam(defaultValue = "") String jwks,
            @RequestParam(required = false) List<String> scopes,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        UUID admin = policy.requirePlatformAdmin();
        AppForm form = new AppForm(name, contact, jwksUrl, jwks, scopes == null ? List.of() : scopes);
        try {
            ConnectedApp app = registry.register(
                    new ConnectedAppRegistry.Registration(
                            name, contact, blankToNull(jwksUrl), keySet(jwks), form.scopes()),
                    admin);
            redirect.addFlashAttribute("registered", app.clientId());
            redirect.addFlashAttribute("message", "admin.apps.registered");
            redirect.addFlashAttribute("messageName", app.name());
            return "redirect:/admin/apps";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(null, form, Map.of(e.field(), "admin.error." + e.field()), model);
        }
    }

    @PostMapping("/{id}/suspend")
    String suspend(@PathVariable UUID id, RedirectAttributes redirect) {
        ConnectedApp app = registry.suspend(id, policy.requirePlatformAdmin());
        redirect.addFlashAttribute("message", "admin.apps.suspended");
        redirect.addFlashAttribute("messageName", app.name());
        return "redirect:/admin/apps";
    }

    @PostMapping("/{id}/reactivate")
    String reactivate(@PathVariable UUID id, RedirectAttributes redirect) {
        ConnectedApp app = registry.reactivate(id, policy.requirePlatformAdmin());
        redirect.addFlashAttribute("message", "admin.apps.reactivated");
        redirect.addFlashAttribute("messageName", app.name());
        return "redirect:/admin/apps";
    }

    /** The inline key set as the JSON API receives it: a JSON object, checked further by the registry. */
    private Map<String, Object> keySet(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (JacksonException e) {
            throw new InvalidInputException("jwks", "must be a JSON Web Key Set");
        }
    }

    private String render(Integer page, AppForm form, Map<String, String> errors, Model model) {
        Page<ConnectedApp> apps = registry.list(Paging.of(page, null));
        model.addAttribute("apps", apps.items());
        model.addAttribute("page", apps.page());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("allScopes", SmartScope.ALL);
        return "admin/apps";
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }
}
