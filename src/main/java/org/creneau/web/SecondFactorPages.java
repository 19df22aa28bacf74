package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.identity.AccountChange;
import org.creneau.identity.AccountSettings;
import org.creneau.platform.ConflictException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.QrCode;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My account", the second factor: turned on with the JSON API's enrolment (a QR code served as an
 * SVG file, the secret to type as a fallback, one code to confirm, the recovery codes shown once),
 * turned off with a code. The secret being enrolled waits in the session, never in a URL.
 */
@Controller
class SecondFactorPages {

    static final String PAGE = "/mon-compte/double-authentification";

    private final AccountSettings settings;
    private final AccessPolicy policy;
    private final PageErrors errors;

    SecondFactorPages(AccountSettings settings, AccessPolicy policy, PageErrors errors) {
        this.settings = settings;
        this.policy = policy;
        this.errors = errors;
    }

    /** An enrolment started and not confirmed yet, as the session keeps it. */
    record PendingEnrolment(String otpauthUri, String secret) implements Serializable {

        static final String ATTRIBUTE = "creneau.enrolment";

        static Optional<PendingEnrolment> of(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            return session != null && session.getAttribute(ATTRIBUTE) instanceof PendingEnrolment pending
                    ? Optional.of(pending)
                    : Optional.empty();
        }

        static void end(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(ATTRIBUTE);
            }
        }

        /** The secret in groups of four, easier to type. */
        String grouped() {
            return secret.replaceAll("(.{4})(?!$)", "$1 ");
        }
    }

    @GetMapping(PAGE)
    String page(HttpServletRequest request, Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        boolean enabled = settings.secondFactorEnabled(me);
        model.addAttribute("enabled", enabled);
        if (!enabled) {
            PendingEnrolment.of(request).ifPresent(p -> model.addAttribute("secret", p.grouped()));
        }
        return "account-second-factor";
    }

    @PostMapping(PAGE + "/activer")
    String start(HttpServletRequest request) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        try {
            AccountSettings.Enrolment started = settings.startSecondFactor(me);
            request.getSession(true)
                    .setAttribute(
                            PendingEnrolment.ATTRIBUTE, new PendingEnrolment(started.otpauthUri(), started.secret()));
        } catch (ConflictException e) {
            // Already on (in another tab): the page says so.
        }
        return "redirect:" + PAGE;
    }

    /** The QR code of the enrolment in progress; nothing to show answers like a missing page. */
    @GetMapping(PAGE + "/qr.svg")
    ResponseEntity<String> qr(HttpServletRequest request) {
        if (!(policy.currentCaller() instanceof Caller.Patient)) {
            throw new NotFoundException("enrolment");
        }
        PendingEnrolment pending = PendingEnrolment.of(request).orElseThrow(() -> new NotFoundException("enrolment"));
        return ResponseEntity.ok()
                .contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.noStore())
                .body(QrCode.svg(pending.otpauthUri()));
    }

    @PostMapping(PAGE + "/confirmer")
    String confirm(
            @RequestParam(defaultValue = "") String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        Optional<PendingEnrolment> pending = PendingEnrolment.of(request);
        if (pending.isEmpty()) {
            return "redirect:" + PAGE;
        }
        Optional<List<String>> codes;
        try {
            codes = code.strip().matches("^[0-9]{6}$") ? settings.confirmSecondFactor(me, code) : Optional.empty();
        } catch (ConflictException e) {
            PendingEnrolment.end(request);
            return "redirect:" + PAGE;
        }
        if (codes.isEmpty()) {
            response.setStatus(400);
            model.addAttribute("codeError", "secondFactor.wrongCode");
            model.addAttribute("enabled", false);
            model.addAttribute("secret", pending.get().grouped());
            return "account-second-factor";
        }
        PendingEnrolment.end(request);
        // Shown in this answer only: the codes are not kept anywhere but as hashes.
        model.addAttribute("enabled", true);
        model.addAttribute("recoveryCodes", codes.get());
        return "account-second-factor";
    }

    @PostMapping(PAGE + "/desactiver")
    String turnOff(
            @RequestParam(defaultValue = "") String code,
            @RequestParam(defaultValue = "") String recoveryCode,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        AccountChange change = settings.turnOffSecondFactor(me, code, recoveryCode);
        switch (change.outcome()) {
            case DONE -> {
                redirect.addFlashAttribute("done", "secondFactor.turnedOff");
                return "redirect:/mon-compte";
            }
            case THROTTLED -> {
                response.setStatus(429);
                model.addAttribute("retryAfter", change.retryAfterSeconds());
                model.addAttribute("offError", "signin.error.throttled");
            }
            default -> {
                response.setStatus(400);
                model.addAttribute("offError", "secondFactor.wrongCode");
            }
        }
        model.addAttribute("enabled", true);
        return "account-second-factor";
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }
}
