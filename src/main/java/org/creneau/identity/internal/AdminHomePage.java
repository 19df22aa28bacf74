package org.creneau.identity.internal;

import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount;
import org.creneau.access.StaffRole;
import org.creneau.platform.StaffPage;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Where a platform admin's sign-in lands (staff land on the workspace): the admin pages this account may open, and nothing it may not (each page
 * checks again by itself).
 */
@Controller
@StaffPage
class AdminHomePage {

    private final AccessPolicy policy;

    AdminHomePage(AccessPolicy policy) {
        this.policy = policy;
    }

    @GetMapping("/admin")
    String home(Authentication authentication, Model model) {
        boolean platformAdmin = authentication.getPrincipal() instanceof SignedInAccount account
                && account.kind() == SignedInAccount.AccountKind.PLATFORM_ADMIN;
        boolean orgAdmin = policy.currentCaller() instanceof Caller.Staff staff && staff.role() == StaffRole.ORG_ADMIN;
        model.addAttribute("platformAdmin", platformAdmin);
        model.addAttribute("orgAdmin", orgAdmin);
        return "admin/index";
    }
}
