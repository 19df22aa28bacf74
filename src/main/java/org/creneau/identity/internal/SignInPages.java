package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.creneau.access.SignedInAccount;
import org.creneau.platform.InvalidInputException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in pages of staff and platform admins: the password, then the authenticator's code.
 * Every check is {@link LoginSteps}', as on the JSON API; these pages only choose what to show.
 */
@Controller
class SignInPages {

    private static final int MAX_EMAIL = 254;
    private static final int MAX_PASSWORD = 128;

    private final LoginSteps steps;
    private final SessionSignIn sessions;

    SignInPages(LoginSteps steps, SessionSignIn sessions) {
        this.steps = steps;
        this.sessions = sessions;
    }

    @GetMapping("/connexion")
    String form(Authentication authentication, Model model) {
        if (authentication != null && authentication.getPrincipal() instanceof SignedInAccount) {
            return "redirect:/admin";
        }
        model.addAttribute("email", "");
        return "connexion";
    }

    @PostMapping("/connexion")
    String password(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String password,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        model.addAttribute("email", email.length() > MAX_EMAIL ? "" : email);
        if (email.isBlank() || password.isEmpty() || email.length() > MAX_EMAIL || password.length() > MAX_PASSWORD) {
            model.addAttribute("error", "Indiquez votre adresse e-mail et votre mot de passe.");
            response.setStatus(400);
            return "connexion";
        }
        LoginSteps.PasswordAccepted accepted;
        try {
            accepted = steps.password(email, password, request, response);
        } catch (BadCredentialsException e) {
            model.addAttribute("error", "Adresse e-mail ou mot de passe incorrect.");
            response.setStatus(401);
            return "connexion";
        } catch (LoginThrottled e) {
            return throttled(e, response, model, "connexion");
        }
        if (accepted.signedIn() != null) {
            return "redirect:/admin";
        }
        if (accepted.next() == PendingLogin.Step.ENROLMENT_REQUIRED) {
            model.addAttribute(
                    "error",
                    "Ce compte n'a pas encore d'application d'authentification : enregistrez-en une d'abord"
                            + " (voir la documentation de l'API), puis reconnectez-vous.");
            return "connexion";
        }
        return "redirect:/connexion/code";
    }

    @GetMapping("/connexion/code")
    String codeForm(HttpServletRequest request) {
        if (sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.TOTP_REQUIRED)
                .isEmpty()) {
            return "redirect:/connexion";
        }
        return "connexion-code";
    }

    @PostMapping("/connexion/code")
    String code(
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String recoveryCode,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.TOTP_REQUIRED)
                .isEmpty()) {
            // Expired or never started: the password comes first again.
            return "redirect:/connexion";
        }
        try {
            steps.secondFactor(code, recoveryCode, request, response);
            return "redirect:/admin";
        } catch (InvalidInputException e) {
            model.addAttribute(
                    "error", "Indiquez soit les 6 chiffres affichés par votre application, soit un code de secours.");
            response.setStatus(400);
        } catch (BadCredentialsException e) {
            model.addAttribute("error", "Code incorrect.");
            response.setStatus(401);
        } catch (LoginThrottled e) {
            return throttled(e, response, model, "connexion-code");
        }
        return "connexion-code";
    }

    @PostMapping("/deconnexion")
    String signOut(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:/connexion?deconnecte";
    }

    private static String throttled(LoginThrottled e, HttpServletResponse response, Model model, String view) {
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        model.addAttribute(
                "error", "Trop de tentatives échouées. Réessayez dans " + e.retryAfterSeconds() + " secondes.");
        return view;
    }
}
