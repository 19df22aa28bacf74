package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.PatientBookings;
import org.creneau.booking.PatientBookings.PatientAppointment;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.PatientAccounts;
import org.creneau.patients.Patients.Person;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Paging;
import org.creneau.platform.TimeWindow;
import org.springframework.context.MessageSource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * "My appointments": the signed-in patient's appointments to come and past, one appointment's page
 * with its calendar file, and cancelling with a reason before the practice's cut-off. Another
 * patient's appointment answers exactly like a missing one.
 */
@Controller
class AppointmentPages {

    /** How far back and ahead the list reaches (the JSON API allows 400 days at most). */
    static final Duration LIST_REACH = Duration.ofDays(180);

    private final PatientBookings bookings;
    private final PatientAccounts accounts;
    private final Directory directory;
    private final AccessPolicy policy;
    private final PageErrors errors;
    private final MessageSource messages;
    private final SlotFinder slots;
    private final Clock clock;

    AppointmentPages(
            PatientBookings bookings,
            PatientAccounts accounts,
            Directory directory,
            AccessPolicy policy,
            PageErrors errors,
            MessageSource messages,
            SlotFinder slots,
            Clock clock) {
        this.bookings = bookings;
        this.accounts = accounts;
        this.directory = directory;
        this.policy = policy;
        this.errors = errors;
        this.messages = messages;
        this.slots = slots;
        this.clock = clock;
    }

    /** One appointment as the patient's pages show it. */
    record AppointmentRow(
            UUID id,
            AppointmentStatus status,
            String practitionerName,
            String specialty,
            String siteName,
            String address,
            String motive,
            String instructions,
            String forWhom,
            ZonedDateTime start,
            ZonedDateTime cancellableUntil,
            boolean live,
            boolean cancellable,
            String cancelReason) {}

    @Journaled(purpose = "list own appointments", resource = Resource.APPOINTMENT, model = "appointments")
    @GetMapping("/mes-rendez-vous")
    String mine(Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        Instant now = clock.instant();
        List<Person> people = accounts.everyone(me);
        List<AppointmentRow> rows = bookings
                .mine(me, new TimeWindow(now.minus(LIST_REACH), now.plus(LIST_REACH)), new Paging(0, Paging.MAX_SIZE))
                .items()
                .stream()
                .filter(a -> a.status() != AppointmentStatus.HELD && a.status() != AppointmentStatus.EXPIRED)
                .map(a -> row(a, people, now))
                .toList();
        model.addAttribute("appointments", rows);
        model.addAttribute(
                "upcoming",
                rows.stream().filter(r -> r.start().toInstant().isAfter(now)).toList());
        model.addAttribute(
                "past",
                rows.stream()
                        .filter(r -> !r.start().toInstant().isAfter(now))
                        .sorted((a, b) -> b.start().compareTo(a.start()))
                        .toList());
        return "appointments";
    }

    @Journaled(purpose = "view own appointment", resource = Resource.APPOINTMENT, model = "appointment")
    @GetMapping("/mes-rendez-vous/{id}")
    String one(@PathVariable UUID id, Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        model.addAttribute("appointment", row(bookings.one(me, id), accounts.everyone(me), clock.instant()));
        if (!model.containsAttribute("cancelErrors")) {
            model.addAttribute("cancelErrors", Map.of());
        }
        return "appointment";
    }

    @Journaled(purpose = "cancel", resource = Resource.APPOINTMENT, outcome = Outcome.UPDATED, model = "appointment")
    @PostMapping("/mes-rendez-vous/{id}/annuler")
    String cancel(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String reason,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        try {
            PatientAppointment cancelled = bookings.cancel(me, id, reason);
            redirect.addFlashAttribute("appointment", new BookingPages.Added(cancelled.id()));
            redirect.addFlashAttribute("justCancelled", true);
            return "redirect:/mes-rendez-vous/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("cancelErrors", Map.of("reason", "field.invalid.reason"));
        } catch (ConflictException e) {
            response.setStatus(409);
            model.addAttribute("cancelErrors", Map.of("reason", "problem." + e.code()));
        }
        model.addAttribute("reason", reason);
        return one(id, model);
    }

    @Journaled(purpose = "view own appointment", resource = Resource.APPOINTMENT, model = "appointment")
    @GetMapping("/mes-rendez-vous/{id}/deplacer")
    String movePage(
            @PathVariable UUID id,
            @RequestParam(name = "site", required = false) UUID siteId,
            @RequestParam(name = "semaine", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    LocalDate week,
            Model model) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        PatientAppointment a = bookings.one(me, id);
        AppointmentRow row = row(a, accounts.people(me), clock.instant());
        model.addAttribute("appointment", row);
        if (!row.cancellable()) {
            // Past the cut-off (or no longer booked): the page says so, with the cut-off, and offers nothing.
            return "move";
        }
        VisitMotive motive = directory.motive(a.motiveId()).orElseThrow();
        List<Site> sites = directory.sitesOf(a.practitionerId());
        Site site = sites.stream()
                .filter(s -> s.id().equals(siteId == null ? a.siteId() : siteId))
                .findFirst()
                .orElseGet(() -> directory.site(a.siteId()).orElseThrow());
        WeekGrid.of(slots, a.practitionerId(), motive, site, week, clock.instant())
                .addTo(
                        model,
                        UriComponentsBuilder.fromPath("/mes-rendez-vous/{id}/deplacer")
                                .queryParam("site", site.id())
                                .uriVariables(Map.of("id", id)),
                        "move.button");
        model.addAttribute("sites", sites);
        model.addAttribute("site", site);
        return "move";
    }

    /**
     * Moves the appointment to the slot clicked, atomically: if that slot was taken meanwhile, the
     * appointment keeps its time and the move page says so (after a redirect, so a refused move leaves
     * no "updated" entry; the page shown next is journaled as a read).
     */
    @Journaled(
            purpose = "reschedule",
            resource = Resource.APPOINTMENT,
            outcome = Outcome.UPDATED,
            model = "appointment")
    @PostMapping("/mes-rendez-vous/{id}/deplacer")
    String move(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String start,
            @RequestParam(required = false) UUID siteId,
            RedirectAttributes redirect) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        String problem;
        Instant at = null;
        try {
            at = Instant.parse(start);
            PatientAppointment moved = bookings.reschedule(me, id, at, siteId);
            redirect.addFlashAttribute("appointment", new BookingPages.Added(moved.id()));
            redirect.addFlashAttribute("justMoved", true);
            return "redirect:/mes-rendez-vous/" + id;
        } catch (DateTimeParseException | InvalidInputException e) {
            problem = "move.invalid";
        } catch (ConflictException e) {
            problem = switch (e.code()) {
                case "cancellation-cutoff-passed" -> "move.tooLateNow";
                case "not-movable" -> "move.notMovable";
                default -> BookingPages.SLOT_GONE.contains(e.code()) ? "move.taken" : "problem." + e.code();
            };
        }
        redirect.addFlashAttribute("moveProblem", problem);
        UriComponentsBuilder again = UriComponentsBuilder.fromPath("/mes-rendez-vous/{id}/deplacer");
        if (siteId != null) {
            again.queryParam("site", siteId);
        }
        if (at != null) {
            // The same week again, with its slots as they are now.
            again.queryParam("semaine", LocalDate.ofInstant(at, ZoneOffset.UTC));
        }
        return "redirect:" + again.buildAndExpand(Map.of("id", id)).toUriString();
    }

    @Journaled(purpose = "add own appointment to a calendar", resource = Resource.APPOINTMENT)
    @GetMapping("/mes-rendez-vous/{id}/calendrier.ics")
    ResponseEntity<CalendarFile> calendar(@PathVariable UUID id, Locale locale) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            throw new NotFoundException("appointment");
        }
        PatientAppointment a = bookings.one(me, id);
        Practitioner practitioner = directory.practitioner(a.practitionerId()).orElseThrow();
        Site site = directory.site(a.siteId()).orElseThrow();
        CalendarFile file = CalendarFile.of(
                a.id(),
                a.start(),
                a.end(),
                site.timeZone(),
                messages.getMessage(
                        "calendar.summary",
                        new Object[] {practitioner.displayName(), practitioner.organizationName()},
                        locale),
                address(site));
        return ResponseEntity.ok()
                .contentType(CalendarFile.TEXT_CALENDAR)
                .header("Content-Disposition", "attachment; filename=\"rendez-vous.ics\"")
                .body(file);
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }

    private AppointmentRow row(PatientAppointment a, List<Person> people, Instant now) {
        Practitioner practitioner = directory.practitioner(a.practitionerId()).orElseThrow();
        Site site = directory.site(a.siteId()).orElseThrow();
        VisitMotive motive = directory.motive(a.motiveId()).orElseThrow();
        Instant cutoff = a.start().minus(motive.rules().cancellationCutoff());
        String forWhom = people.stream()
                .filter(p -> p.id().equals(a.patientId()))
                .map(p -> p.firstName() + " " + p.lastName())
                .findFirst()
                .orElse("");
        boolean live = a.status() == AppointmentStatus.BOOKED || a.status() == AppointmentStatus.HELD;
        return new AppointmentRow(
                a.id(),
                a.status(),
                practitioner.displayName(),
                practitioner.specialty().label(),
                site.name(),
                address(site),
                motive.label(),
                motive.instructions(),
                forWhom,
                a.start().atZone(site.timeZone()),
                cutoff.atZone(site.timeZone()),
                live,
                live && now.isBefore(cutoff),
                a.cancelReason());
    }

    static String address(Site site) {
        return site.addressLine() + ", " + site.postcode() + " " + site.city();
    }
}
