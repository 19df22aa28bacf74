package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.PatientBookings;
import org.creneau.booking.PatientBookings.PatientAppointment;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.identity.PatientSignIn;
import org.creneau.identity.SignInResult;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.PatientAccounts;
import org.creneau.patients.Patients.Relationship;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The booking flow: a slot clicked on a practitioner's page is held at once (after signing in or
 * creating an account, inline, when needed), then the patient chooses whom it is for, reads the
 * motive's instructions and confirms. The slot and the hold live in the session, never in a URL.
 * Every rule is {@link PatientBookings}' and {@link PatientAccounts}', as on the JSON API.
 */
@Controller
class BookingPages {

    /** Conflicts that mean "this slot is no longer yours to take": the next free slots are offered. */
    static final Set<String> SLOT_GONE = Set.of("slot-unavailable", "slot-taken", "booking-contention", "hold-expired");

    static final int NEXT_SLOTS_SHOWN = 6;

    private final PatientBookings bookings;
    private final PatientAccounts accounts;
    private final PatientSignIn signIn;
    private final Directory directory;
    private final SlotFinder slots;
    private final AccessPolicy policy;
    private final PageErrors errors;
    private final Clock clock;

    BookingPages(
            PatientBookings bookings,
            PatientAccounts accounts,
            PatientSignIn signIn,
            Directory directory,
            SlotFinder slots,
            AccessPolicy policy,
            PageErrors errors,
            Clock clock) {
        this.bookings = bookings;
        this.accounts = accounts;
        this.signIn = signIn;
        this.directory = directory;
        this.slots = slots;
        this.policy = policy;
        this.errors = errors;
        this.clock = clock;
    }

    /** What the pages say about a slot: who, where, what, when (in the site's zone). */
    record SlotSummary(Practitioner practitioner, Site site, VisitMotive motive, ZonedDateTime time) {}

    /** A person the appointment may be for; {@code value} is what the form sends. */
    record PersonChoice(String value, String firstName, String lastName, boolean self, boolean chosen) {}

    @Journaled(purpose = "book", resource = Resource.APPOINTMENT, outcome = Outcome.CREATED, model = "appointment")
    @PostMapping("/reservation")
    String choose(
            @RequestParam UUID practitionerId,
            @RequestParam UUID siteId,
            @RequestParam UUID motiveId,
            @RequestParam String start,
            HttpServletRequest request,
            Model model) {
        Instant at;
        try {
            at = Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new NotFoundException("slot");
        }
        Caller caller = policy.currentCaller();
        BookingInProgress previous = BookingInProgress.of(request).orElse(null);
        if (previous != null && previous.holdId() != null && caller instanceof Caller.Patient patient) {
            releaseQuietly(patient, previous.holdId());
        }
        BookingInProgress booking = new BookingInProgress(practitionerId, siteId, motiveId, at, null, null);
        booking.keep(request);
        if (caller instanceof Caller.Patient patient) {
            return hold(patient, booking, request, model);
        }
        return "redirect:/reservation";
    }

    @Journaled(purpose = "book", resource = Resource.APPOINTMENT, model = "appointment")
    @GetMapping("/reservation")
    String booking(HttpServletRequest request, Model model) {
        BookingInProgress booking = BookingInProgress.of(request).orElse(null);
        if (booking == null) {
            return "redirect:/";
        }
        SlotSummary summary = summary(booking);
        model.addAttribute("summary", summary);
        if (!(policy.currentCaller() instanceof Caller.Patient patient)) {
            model.addAttribute("signInForm", true);
            return "booking";
        }
        if (booking.holdId() == null) {
            // Back from signing in or creating an account: the chosen slot is held now.
            return hold(patient, booking, request, model);
        }
        PatientAppointment held;
        try {
            held = bookings.one(patient, booking.holdId());
        } catch (NotFoundException e) {
            BookingInProgress.end(request);
            return "redirect:/praticiens/" + booking.practitionerId();
        }
        if (held.status() == AppointmentStatus.BOOKED) {
            BookingInProgress.end(request);
            return "redirect:/mes-rendez-vous/" + held.id();
        }
        if (held.status() != AppointmentStatus.HELD || !held.holdExpiresAt().isAfter(clock.instant())) {
            return slotGone("hold-expired", booking, summary, model);
        }
        return heldPage(patient, booking, held, summary, model);
    }

    @PostMapping("/reservation/annuler")
    String abandon(HttpServletRequest request) {
        BookingInProgress booking = BookingInProgress.of(request).orElse(null);
        BookingInProgress.end(request);
        if (booking == null) {
            return "redirect:/";
        }
        if (booking.holdId() != null && policy.currentCaller() instanceof Caller.Patient patient) {
            releaseQuietly(patient, booking.holdId());
        }
        return "redirect:/praticiens/" + booking.practitionerId();
    }

    @Journaled(purpose = "add a relative", resource = Resource.PATIENT, outcome = Outcome.CREATED, model = "relative")
    @PostMapping("/reservation/proche")
    String addRelative(
            @RequestParam(defaultValue = "") String relationship,
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            HttpServletRequest request,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        BookingInProgress booking = BookingInProgress.of(request).orElse(null);
        if (booking == null || booking.holdId() == null || !(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/reservation";
        }
        Map<String, String> values = Map.of(
                "relationship", relationship, "firstName", firstName, "lastName", lastName, "birthDate", birthDate);
        try {
            Relationship kind = parse(relationship);
            UUID id = accounts.addRelative(me, kind, firstName, lastName, date(birthDate));
            booking.forPerson(id).keep(request);
            redirect.addFlashAttribute("relative", new Added(id));
            return "redirect:/reservation";
        } catch (InvalidInputException e) {
            model.addAttribute("relativeErrors", Map.of(e.field(), "field.invalid." + e.field()));
        } catch (ConflictException e) {
            model.addAttribute("relativeErrors", Map.of("firstName", "problem." + e.code()));
        }
        model.addAttribute("relativeForm", values);
        response.setStatus(400);
        PatientAppointment held = bookings.one(me, booking.holdId());
        return heldPage(me, booking, held, summary(booking), model);
    }

    /** What a write hands to the journal's page hook: the identifier it created or changed. */
    record Added(UUID id) implements java.io.Serializable {}

    @Journaled(purpose = "book", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "appointment")
    @PostMapping("/reservation/confirmer")
    String confirm(
            @RequestParam(defaultValue = "self") String person,
            HttpServletRequest request,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        BookingInProgress booking = BookingInProgress.of(request).orElse(null);
        if (booking == null || booking.holdId() == null || !(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/reservation";
        }
        UUID relativeId = "self".equals(person) ? null : uuid(person);
        SlotSummary summary = summary(booking);
        try {
            bookings.changeHeldPerson(me, booking.holdId(), relativeId);
            PatientAppointment booked = bookings.confirm(me, booking.holdId());
            BookingInProgress.end(request);
            redirect.addFlashAttribute("appointment", new Added(booked.id()));
            redirect.addFlashAttribute("justBooked", true);
            return "redirect:/mes-rendez-vous/" + booked.id();
        } catch (ConflictException e) {
            if (SLOT_GONE.contains(e.code())) {
                response.setStatus(409);
                return slotGone(e.code(), booking, summary, model);
            }
            model.addAttribute("problem", "problem." + e.code());
            response.setStatus(409);
            BookingInProgress kept = booking.forPerson(relativeId);
            kept.keep(request);
            return heldPage(me, kept, bookings.one(me, booking.holdId()), summary, model);
        }
    }

    @GetMapping("/se-connecter")
    String signInPage(Model model) {
        model.addAttribute("signInForm", true);
        return "sign-in";
    }

    @PostMapping("/se-connecter")
    String signIn(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String password,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        SignInResult result = signIn.password(email, password, request, response);
        return switch (result.outcome()) {
            case SIGNED_IN -> "redirect:" + afterSignIn(request);
            case CODE_REQUIRED -> "redirect:/se-connecter/code";
            default -> {
                model.addAttribute("email", email.length() > 254 ? "" : email);
                yield signInRefused(result, request, response, model);
            }
        };
    }

    @GetMapping("/se-connecter/code")
    String codePage(HttpServletRequest request) {
        return signIn.awaitsCode(request) ? "sign-in-code" : "redirect:/se-connecter";
    }

    @PostMapping("/se-connecter/code")
    String code(
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String recoveryCode,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        SignInResult result = signIn.secondFactor(code, recoveryCode, request, response);
        switch (result.outcome()) {
            case SIGNED_IN -> {
                return "redirect:" + afterSignIn(request);
            }
            case NO_PENDING_SIGN_IN -> {
                return "redirect:/se-connecter";
            }
            case THROTTLED -> {
                response.setStatus(429);
                model.addAttribute("codeError", "signin.error.throttled");
                model.addAttribute("retryAfter", result.retryAfterSeconds());
            }
            case MALFORMED_CODE -> {
                response.setStatus(400);
                model.addAttribute("codeError", "signin.error.code-format");
            }
            default -> {
                response.setStatus(401);
                model.addAttribute("codeError", "signin.error.code");
            }
        }
        return "sign-in-code";
    }

    @PostMapping("/creer-un-compte")
    String register(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String phone,
            @RequestParam(defaultValue = "") String password,
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        try {
            accounts.register(
                    new PatientAccounts.Registration(email, phone, password, firstName, lastName, date(birthDate)));
        } catch (InvalidInputException e) {
            return registrationRefused(
                    e.field(),
                    "field.invalid." + e.field(),
                    request,
                    response,
                    model,
                    email,
                    phone,
                    firstName,
                    lastName,
                    birthDate);
        }
        // The same answer whether the address was free or taken (its owner is mailed): no sign-in
        // here, the person signs in with the password they chose, as any account does.
        model.addAttribute("registered", true);
        model.addAttribute("email", email.length() > 254 ? "" : email.trim());
        return signInView(request, model);
    }

    @PostMapping("/se-deconnecter")
    String signOut(HttpServletRequest request) {
        signIn.signOut(request);
        return "redirect:/";
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }

    private String hold(Caller.Patient patient, BookingInProgress booking, HttpServletRequest request, Model model) {
        SlotSummary summary = summary(booking);
        try {
            PatientAppointment held = bookings.hold(
                    patient, booking.practitionerId(), booking.siteId(), booking.motiveId(), booking.start(), null);
            booking.held(held.id()).keep(request);
            RequestContextUtils.getOutputFlashMap(request).put("appointment", new Added(held.id()));
            return "redirect:/reservation";
        } catch (ConflictException e) {
            if (SLOT_GONE.contains(e.code())) {
                return slotGone(e.code(), booking, summary, model);
            }
            BookingInProgress.end(request);
            model.addAttribute("summary", summary);
            model.addAttribute("problem", "problem." + e.code());
            return "booking-refused";
        }
    }

    private String heldPage(
            Caller.Patient me, BookingInProgress booking, PatientAppointment held, SlotSummary summary, Model model) {
        UUID chosen = booking.personId();
        List<PersonChoice> people = accounts.people(me).stream()
                .map(p -> new PersonChoice(
                        p.self() ? "self" : p.id().toString(),
                        p.firstName(),
                        p.lastName(),
                        p.self(),
                        chosen == null ? p.self() : p.id().equals(chosen)))
                .toList();
        model.addAttribute("summary", summary);
        model.addAttribute("appointment", held);
        model.addAttribute(
                "expiresAt", held.holdExpiresAt().atZone(summary.site().timeZone()));
        model.addAttribute(
                "secondsLeft",
                Math.max(
                        0,
                        Duration.between(clock.instant(), held.holdExpiresAt()).toSeconds()));
        model.addAttribute("people", people);
        model.addAttribute("relationships", Relationship.values());
        if (!model.containsAttribute("relativeForm")) {
            model.addAttribute("relativeForm", Map.of());
            model.addAttribute("relativeErrors", Map.of());
        }
        return "booking";
    }

    /** The slot went to someone else (or the hold lapsed): said plainly, with the next free slots. */
    private String slotGone(String code, BookingInProgress booking, SlotSummary summary, Model model) {
        Instant now = clock.instant();
        List<ZonedDateTime> next = List.of();
        List<Instant> nextStarts = List.of();
        try {
            List<Slot> free = slots
                    .freeSlots(
                            booking.practitionerId(),
                            booking.motiveId(),
                            new TimeWindow(now, now.plus(WeekGrid.SOONEST_WITHIN)))
                    .stream()
                    .filter(s -> s.siteId().equals(booking.siteId()))
                    .limit(NEXT_SLOTS_SHOWN)
                    .toList();
            next = free.stream()
                    .map(s -> s.start().atZone(summary.site().timeZone()))
                    .toList();
            nextStarts = free.stream().map(Slot::start).toList();
        } catch (NotFoundException e) {
            // The motive was withdrawn meanwhile: nothing to offer.
        }
        model.addAttribute("summary", summary);
        model.addAttribute("problem", "problem." + code);
        model.addAttribute("nextSlots", next);
        model.addAttribute("nextStarts", nextStarts);
        return "slot-taken";
    }

    private String signInRefused(
            SignInResult result, HttpServletRequest request, HttpServletResponse response, Model model) {
        switch (result.outcome()) {
            case THROTTLED -> {
                response.setStatus(429);
                model.addAttribute("signInError", "signin.error.throttled");
                model.addAttribute("retryAfter", result.retryAfterSeconds());
            }
            case ENROLMENT_REQUIRED -> {
                response.setStatus(403);
                model.addAttribute("signInError", "signin.error.staff");
            }
            default -> {
                response.setStatus(401);
                model.addAttribute("signInError", "signin.error.credentials");
            }
        }
        return signInView(request, model);
    }

    private String registrationRefused(
            String field,
            String message,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            String email,
            String phone,
            String firstName,
            String lastName,
            String birthDate) {
        response.setStatus(400);
        model.addAttribute("registrationErrors", Map.of(field, message));
        model.addAttribute(
                "registration",
                Map.of(
                        "email",
                        email,
                        "phone",
                        phone,
                        "firstName",
                        firstName,
                        "lastName",
                        lastName,
                        "birthDate",
                        birthDate));
        return signInView(request, model);
    }

    /** The forms again: on the booking page when a slot is waiting, else on the sign-in page. */
    private String signInView(HttpServletRequest request, Model model) {
        model.addAttribute("signInForm", true);
        BookingInProgress booking = BookingInProgress.of(request).orElse(null);
        if (booking != null) {
            model.addAttribute("summary", summary(booking));
            return "booking";
        }
        return "sign-in";
    }

    private static String afterSignIn(HttpServletRequest request) {
        return BookingInProgress.of(request).isPresent() ? "/reservation" : "/mes-rendez-vous";
    }

    private SlotSummary summary(BookingInProgress booking) {
        Practitioner practitioner = directory
                .practitioner(booking.practitionerId())
                .orElseThrow(() -> new NotFoundException("practitioner"));
        VisitMotive motive = directory
                .motive(booking.motiveId())
                .filter(m -> m.practitionerId().equals(practitioner.id()))
                .orElseThrow(() -> new NotFoundException("motive"));
        Site site = directory.sitesOf(practitioner.id()).stream()
                .filter(s -> s.id().equals(booking.siteId()))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("site"));
        return new SlotSummary(practitioner, site, motive, booking.start().atZone(site.timeZone()));
    }

    private void releaseQuietly(Caller.Patient patient, UUID holdId) {
        try {
            bookings.cancel(patient, holdId, "released");
        } catch (ConflictException | NotFoundException e) {
            // Already confirmed, cancelled or expired: nothing to release.
        }
    }

    private static Relationship parse(String relationship) {
        try {
            return Relationship.valueOf(relationship);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("relationship", "is not a relationship");
        }
    }

    private static LocalDate date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("birthDate", "must be a date");
        }
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("relative");
        }
    }
}
