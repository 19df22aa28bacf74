package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.creneau.access.SignedInAccount;
import org.creneau.identity.StaffInvitations;
import org.creneau.identity.StaffInvitations.Acceptance;
import org.creneau.identity.StaffInvitations.Opened;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.StaffPage;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page of an invitation's link: a new person sets a phone and a password, then signs in (and
 * enrols an authenticator at that first sign-in, as every new staff account does); the account that
 * already has the invited address joins once signed in. The rules are {@link StaffInvitations}'.
 * The page only shows forms: the link is used by their POST, not by a mail scanner's GET.
 */
@Controller
@StaffPage
class InvitationPages {

    private final StaffInvitations invitations;

    InvitationPages(StaffInvitations invitations) {
        this.invitations = invitations;
    }

    @GetMapping("/connexion/invitation/{token}")
    String open(@PathVariable String token, Authentication authentication, HttpServletResponse response, Model model) {
        Optional<Opened> opened = invitations.open(token).filter(o -> o.state() == StaffInvitations.State.PENDING);
        if (opened.isEmpty()) {
            return invalid(response, model);
        }
        model.addAttribute("invitation", opened.get());
        model.addAttribute("token", token);
        model.addAttribute("signedIn", signedIn(authentication).isPresent());
        return "connexion-invitation";
    }

    @PostMapping("/connexion/invitation/{token}")
    String acceptAsNewPerson(
            @PathVariable String token,
            @RequestParam(defaultValue = "") String phone,
            @RequestParam(defaultValue = "") String password,
            Authentication authentication,
            HttpServletResponse response,
            Model model) {
        Acceptance acceptance;
        try {
            acceptance = invitations.acceptAsNewPerson(token, phone, password);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("error", "invitation.error." + e.field());
            return open(token, authentication, response, model);
        }
        return answer(acceptance, token, authentication, response, model);
    }

    @PostMapping("/connexion/invitation/{token}/rejoindre")
    String acceptAsAccount(
            @PathVariable String token, Authentication authentication, HttpServletResponse response, Model model) {
        Optional<SignedInAccount> account = signedIn(authentication);
        if (account.isEmpty()) {
            return "redirect:/connexion";
        }
        return answer(
                invitations.acceptAsAccount(token, account.get().accountId()), token, authentication, response, model);
    }

    private String answer(
            Acceptance acceptance,
            String token,
            Authentication authentication,
            HttpServletResponse response,
            Model model) {
        switch (acceptance) {
            case JOINED -> {
                model.addAttribute("joined", true);
                return "connexion-invitation";
            }
            case INVALID_LINK -> {
                return invalid(response, model);
            }
            default -> {
                response.setStatus(409);
                model.addAttribute("error", "invitation.error." + acceptance.name());
                return open(token, authentication, response, model);
            }
        }
    }

    private static String invalid(HttpServletResponse response, Model model) {
        response.setStatus(410);
        model.addAttribute("invalid", true);
        return "connexion-invitation";
    }

    private static Optional<SignedInAccount> signedIn(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof SignedInAccount account
                ? Optional.of(account)
                : Optional.empty();
    }
}
