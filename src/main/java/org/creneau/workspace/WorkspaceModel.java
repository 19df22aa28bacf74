package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount;
import org.creneau.access.StaffRole;
import org.creneau.platform.StaffPage;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the layout of every practice page needs: the same page in each language, and which parts of
 * the workspace the signed-in person may open (each page checks again by itself: the navigation only
 * hides what would answer "not found").
 */
@ControllerAdvice(annotations = StaffPage.class)
class WorkspaceModel {

    static final List<String> LANGUAGES = List.of("fr", "en");

    private final AccessPolicy policy;

    WorkspaceModel(AccessPolicy policy) {
        this.policy = policy;
    }

    /** The navigation a staff member or a platform admin may follow. */
    record Navigation(boolean staff, boolean orgAdmin, boolean platformAdmin) {}

    @ModelAttribute("languageLinks")
    Map<String, String> languageLinks(HttpServletRequest request) {
        Map<String, String> links = new LinkedHashMap<>();
        for (String language : LANGUAGES) {
            UriComponentsBuilder link = UriComponentsBuilder.fromPath(request.getRequestURI());
            if ("GET".equals(request.getMethod()) && request.getQueryString() != null) {
                link.query(request.getQueryString());
            }
            links.put(language, link.replaceQueryParam("lang", language).build().toUriString());
        }
        return links;
    }

    @ModelAttribute("navigation")
    Navigation navigation() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean platformAdmin = authentication != null
                && authentication.getPrincipal() instanceof SignedInAccount account
                && account.kind() == SignedInAccount.AccountKind.PLATFORM_ADMIN;
        Caller caller = policy.currentCaller();
        boolean staff = caller instanceof Caller.Staff;
        boolean orgAdmin = caller instanceof Caller.Staff s && s.role() == StaffRole.ORG_ADMIN;
        return new Navigation(staff, orgAdmin, platformAdmin);
    }
}
