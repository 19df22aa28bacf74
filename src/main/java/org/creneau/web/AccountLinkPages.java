package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.identity.AccountLinks;
import org.creneau.platform.InvalidInputException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages of mailed account links, for patients and staff alike: "forgot password" (one answer
 * whatever the address), the reset link's new password, the email verification link, and a patient
 * asking for the verification mail again. Every rule is {@link AccountLinks}', as on the JSON API.
 * A link's page only shows a form: the link is used by the form's POST, so a mail scanner that
 * fetches it uses nothing.
 */
@Controller
class AccountLinkPages {

    private final AccountLinks links;
    private final AccessPolicy policy;

    AccountLinkPages(AccountLinks links, AccessPolicy policy) {
        this.links = links;
        this.policy = policy;
    }

    @GetMapping("/mot-de-passe-oublie")
    String forgotten(Model model) {
        model.addAttribute("email", "");
        return "password-forgotten";
    }

    @PostMapping("/mot-de-passe-oublie")
    String askReset(
            @RequestParam(defaultValue = "") String email,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        try {
            links.requestPasswordReset(email.length() > 254 ? "" : email, request.getRemoteAddr());
            model.addAttribute("sent", true);
        } catch (AccountLinks.TooManyRequests e) {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            model.addAttribute("error", "link.error.tooMany");
        }
        model.addAttribute("email", "");
        return "password-forgotten";
    }

    @GetMapping("/mot-de-passe-oublie/{token}")
    String resetForm(@PathVariable String token, HttpServletResponse response, Model model) {
        if (!links.resetLinkValid(token)) {
            return invalid(response);
        }
        model.addAttribute("token", token);
        return "password-reset";
    }

    @PostMapping("/mot-de-passe-oublie/{token}")
    String reset(
            @PathVariable String token,
            @RequestParam(defaultValue = "") String password,
            HttpServletResponse response,
            Model model) {
        try {
            return switch (links.resetPassword(token, password)) {
                case DONE -> "password-reset-done";
                case INVALID_LINK -> invalid(response);
            };
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("token", token);
            model.addAttribute("error", "field.invalid.password");
            return "password-reset";
        }
    }

    @GetMapping("/verifier-email/{token}")
    String verifyForm(@PathVariable String token, Model model) {
        model.addAttribute("token", token);
        return "email-verification";
    }

    @PostMapping("/verifier-email/{token}")
    String verify(@PathVariable String token, HttpServletResponse response, Model model) {
        if (!links.verifyEmail(token)) {
            return invalid(response);
        }
        model.addAttribute("verified", true);
        return "email-verification";
    }

    @PostMapping("/mon-compte/verification")
    String sendAgain(HttpServletRequest request, RedirectAttributes redirect) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        try {
            links.sendVerificationAgain(me, request.getRemoteAddr());
            redirect.addFlashAttribute("done", "account.verification.sent");
        } catch (AccountLinks.TooManyRequests e) {
            redirect.addFlashAttribute("done", "link.error.tooMany");
        }
        return "redirect:/mon-compte";
    }

    /** An unknown, used or expired link: one page for all three, 410. */
    private static String invalid(HttpServletResponse response) {
        response.setStatus(410);
        return "link-invalid";
    }
}
