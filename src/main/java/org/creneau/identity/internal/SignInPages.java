package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.creneau.access.SignedInAccount;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.QrCode;
import org.creneau.platform.StaffPage;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in pages of staff and platform admins: the password, then the authenticator's code, or a
 * recovery code when the device is lost, or, on a first sign-in, enrolling an authenticator. Every
 * check is {@link LoginSteps}', as on the JSON API; these pages only choose what to show.
 */
@Controller
@StaffPage
class SignInPages {

    private static final int MAX_EMAIL = 254;
    private static final int MAX_PASSWORD = 128;

    private final LoginSteps steps;
    private final SessionSignIn sessions;

    SignInPages(LoginSteps steps, SessionSignIn sessions) {
        this.steps = steps;
        this.sessions = sessions;
    }

    /** The secret being enrolled during a login, kept in the session (never in a URL) until confirmed. */
    record LoginEnrolment(String otpauthUri, String secret) implements Serializable {

        static final String ATTRIBUTE = "creneau.login.enrolment";

        static Optional<LoginEnrolment> of(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            return session != null && session.getAttribute(ATTRIBUTE) instanceof LoginEnrolment enrolment
                    ? Optional.of(enrolment)
                    : Optional.empty();
        }

        /** The secret in groups of four, easier to type. */
        String grouped() {
            return secret.replaceAll("(.{4})(?!$)", "$1 ");
        }
    }

    @GetMapping("/connexion")
    String form(Authentication authentication, Model model) {
        if (authentication != null && authentication.getPrincipal() instanceof SignedInAccount account) {
            return "redirect:" + landing(account);
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
            model.addAttribute("error", "staffSignIn.error.missing");
            response.setStatus(400);
            return "connexion";
        }
        LoginSteps.PasswordAccepted accepted;
        try {
            accepted = steps.password(email, password, request, response);
        } catch (BadCredentialsException e) {
            model.addAttribute("error", "signin.error.credentials");
            response.setStatus(401);
            return "connexion";
        } catch (LoginThrottled e) {
            return throttled(e, response, model, "connexion");
        }
        if (accepted.signedIn() != null) {
            return "redirect:" + landing(accepted.signedIn());
        }
        if (accepted.next() == PendingLogin.Step.ENROLMENT_REQUIRED) {
            return "redirect:/connexion/enrolement";
        }
        return "redirect:/connexion/code";
    }

    @GetMapping("/connexion/code")
    String codeForm(HttpServletRequest request) {
        return awaitsCode(request) ? "connexion-code" : "redirect:/connexion";
    }

    @PostMapping("/connexion/code")
    String code(
            @RequestParam(defaultValue = "") String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        return secondFactor(code, null, "connexion-code", request, response, model);
    }

    /** The lost device: one of the recovery codes shown at enrolment, each accepted once. */
    @GetMapping("/connexion/secours")
    String recoveryForm(HttpServletRequest request) {
        return awaitsCode(request) ? "connexion-recovery" : "redirect:/connexion";
    }

    @PostMapping("/connexion/secours")
    String recovery(
            @RequestParam(defaultValue = "") String recoveryCode,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        return secondFactor(null, recoveryCode, "connexion-recovery", request, response, model);
    }

    /** A first sign-in: the account has no authenticator yet and enrols one before the session is signed in. */
    @GetMapping("/connexion/enrolement")
    String enrolment(HttpServletRequest request, Model model) {
        if (!steps.awaitsEnrolment(request)) {
            return "redirect:/connexion";
        }
        LoginEnrolment enrolment = LoginEnrolment.of(request).orElseGet(() -> {
            SecondFactors.Enrolment started = steps.startEnrolment(request);
            LoginEnrolment kept = new LoginEnrolment(started.otpauthUri(), started.secret());
            request.getSession().setAttribute(LoginEnrolment.ATTRIBUTE, kept);
            return kept;
        });
        model.addAttribute("secret", enrolment.grouped());
        return "connexion-enrolment";
    }

    /** The QR code of the secret being enrolled; nothing to show answers like a missing page. */
    @GetMapping("/connexion/enrolement/qr.svg")
    ResponseEntity<String> enrolmentQr(HttpServletRequest request) {
        LoginEnrolment enrolment = LoginEnrolment.of(request)
                .filter(e -> steps.awaitsEnrolment(request))
                .orElseThrow(() -> new NotFoundException("enrolment"));
        return ResponseEntity.ok()
                .contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.noStore())
                .body(QrCode.svg(enrolment.otpauthUri()));
    }

    @PostMapping("/connexion/enrolement")
    String confirmEnrolment(
            @RequestParam(defaultValue = "") String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<LoginEnrolment> enrolment = LoginEnrolment.of(request);
        if (!steps.awaitsEnrolment(request) || enrolment.isEmpty()) {
            return "redirect:/connexion";
        }
        Optional<List<String>> codes;
        try {
            codes = code.strip().matches("^[0-9]{6}$")
                    ? steps.confirmEnrolment(code, request, response)
                    : Optional.empty();
        } catch (LoginThrottled e) {
            model.addAttribute("secret", enrolment.get().grouped());
            return throttled(e, response, model, "connexion-enrolment");
        } catch (ConflictException e) {
            // Enrolled meanwhile (another tab): the sign-in starts again and asks for a code.
            return "redirect:/connexion";
        }
        if (codes.isEmpty()) {
            response.setStatus(400);
            model.addAttribute("error", "secondFactor.wrongCode");
            model.addAttribute("secret", enrolment.get().grouped());
            return "connexion-enrolment";
        }
        // Signed in now; the codes are in this answer only (kept as hashes), the secret leaves the session.
        request.getSession().removeAttribute(LoginEnrolment.ATTRIBUTE);
        model.addAttribute("recoveryCodes", codes.get());
        model.addAttribute("done", "staffSignIn.enrol.done");
        model.addAttribute(
                "next",
                SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof SignedInAccount account
                        ? landing(account)
                        : "/connexion");
        return "practice/recovery-codes";
    }

    @PostMapping("/deconnexion")
    String signOut(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:/connexion?deconnecte";
    }

    /** Where a signed-in person starts: the platform's admin pages, or the practice workspace. */
    static String landing(SignedInAccount account) {
        return account.kind() == SignedInAccount.AccountKind.PLATFORM_ADMIN ? "/admin" : "/cabinet";
    }

    private boolean awaitsCode(HttpServletRequest request) {
        return sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.TOTP_REQUIRED)
                .isPresent();
    }

    private String secondFactor(
            String code,
            String recoveryCode,
            String view,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (!awaitsCode(request)) {
            // Expired or never started: the password comes first again.
            return "redirect:/connexion";
        }
        try {
            return "redirect:" + landing(steps.secondFactor(code, recoveryCode, request, response));
        } catch (InvalidInputException e) {
            model.addAttribute("error", code == null ? "staffSignIn.error.recoveryMissing" : "staffSignIn.error.code");
            response.setStatus(400);
        } catch (BadCredentialsException e) {
            model.addAttribute("error", "signin.error.code");
            response.setStatus(401);
        } catch (LoginThrottled e) {
            return throttled(e, response, model, view);
        }
        return view;
    }

    private static String throttled(LoginThrottled e, HttpServletResponse response, Model model, String view) {
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        model.addAttribute("error", "signin.error.throttled");
        model.addAttribute("retryAfter", e.retryAfterSeconds());
        return view;
    }
}
