package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.creneau.access.SignedInAccount;
import org.creneau.identity.AccountChange;
import org.creneau.identity.StaffSecurity;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.StaffPage;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My security" for a staff member or a platform admin: sign out everywhere, new recovery codes (shown
 * once, after a current code of the authenticator), a new password. Each acts on the signed-in account
 * only, through {@link StaffSecurity}.
 */
@Controller
@StaffPage
@RequestMapping("/cabinet/securite")
class SecurityPages {

    static final String PAGE = "/cabinet/securite";

    private final StaffSecurity security;

    SecurityPages(StaffSecurity security) {
        this.security = security;
    }

    @GetMapping
    String page() {
        me();
        return "practice/security";
    }

    /** Every session of the account ends, this one too: the next page is the sign-in. */
    @PostMapping("/deconnexion-partout")
    String signOutEverywhere(HttpServletRequest request) {
        security.signOutEverywhere(me(), request);
        return "redirect:/connexion?deconnecte";
    }

    @PostMapping("/codes-de-secours")
    String newRecoveryCodes(@RequestParam(defaultValue = "") String code, HttpServletResponse response, Model model) {
        StaffSecurity.NewRecoveryCodes replaced = security.replaceRecoveryCodes(me(), code);
        switch (replaced.change().outcome()) {
            case DONE -> {
                // In this answer only: the codes are kept as hashes.
                model.addAttribute("recoveryCodes", replaced.codes());
                model.addAttribute("done", "security.codes.done");
                model.addAttribute("next", PAGE);
                return "practice/recovery-codes";
            }
            case THROTTLED -> throttled(replaced.change(), response, model, "codeError");
            case WRONG_SECRET -> {
                response.setStatus(400);
                model.addAttribute("codeError", "security.codes.wrongCode");
            }
        }
        return "practice/security";
    }

    @PostMapping("/mot-de-passe")
    String changePassword(
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newPassword,
            HttpServletRequest request,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        UUID me = me();
        AccountChange change;
        try {
            change = security.changePassword(me, currentPassword, newPassword, request);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("newPasswordError", "field.invalid.password");
            return "practice/security";
        }
        switch (change.outcome()) {
            case DONE -> {
                redirect.addFlashAttribute("done", "password.changed");
                return "redirect:" + PAGE;
            }
            case THROTTLED -> throttled(change, response, model, "currentPasswordError");
            case WRONG_SECRET -> {
                response.setStatus(400);
                model.addAttribute("currentPasswordError", "password.wrongCurrent");
            }
        }
        return "practice/security";
    }

    private static void throttled(AccountChange change, HttpServletResponse response, Model model, String field) {
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(change.retryAfterSeconds()));
        model.addAttribute("retryAfter", change.retryAfterSeconds());
        model.addAttribute(field, "signin.error.throttled");
    }

    /** The signed-in staff member or platform admin; a patient's session finds nothing here. */
    private static UUID me() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null
                && authentication.getPrincipal() instanceof SignedInAccount account
                && account.kind() != SignedInAccount.AccountKind.PATIENT) {
            return account.accountId();
        }
        throw new NotFoundException("page");
    }
}
