package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.PatientBookings;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.VisitMotive;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Resource;
import org.creneau.journal.NotJournaled;
import org.creneau.patients.PatientAccounts;
import org.creneau.patients.Patients.Person;
import org.creneau.platform.ConflictException;
import org.creneau.platform.NotFoundException;
import org.springframework.format.annotation.DateTimeFormat;
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
 * A practitioner's page: sites, motives, and the free slots of the chosen motive and site as a grid
 * by day, a week at a time. Each slot is a button of one POST form: clicking it holds the slot.
 * Without a free slot in the next 14 days it offers the waiting list, for the signed-in patient or
 * one of their relatives.
 */
@Controller
class PractitionerPage {

    private final Directory directory;
    private final SlotFinder slots;
    private final PageErrors errors;
    private final PatientBookings bookings;
    private final PatientAccounts accounts;
    private final AccessPolicy policy;
    private final Clock clock;

    /** Why joining from the page is not journaled: the same as the JSON API's waiting list. */
    static final String WAITING_IS_NOT_AN_ACCESS =
            "the caller's own wish for an earlier slot, as POST /api/v1/waitlist:"
                    + " the page shows no appointment or patient record; an offered slot is journaled when it is read";

    PractitionerPage(
            Directory directory,
            SlotFinder slots,
            PageErrors errors,
            PatientBookings bookings,
            PatientAccounts accounts,
            AccessPolicy policy,
            Clock clock) {
        this.directory = directory;
        this.bookings = bookings;
        this.accounts = accounts;
        this.policy = policy;
        this.slots = slots;
        this.errors = errors;
        this.clock = clock;
    }

    /**
     * The page is public; only a signed-in patient with relatives, offered the waiting list, sees
     * their names (to choose whom it is for): that answer is journaled, any other shows no patient.
     */
    @Journaled(purpose = "choose whom to put on a waiting list", resource = Resource.PATIENT, model = "waitlistPeople")
    @GetMapping("/praticiens/{id}")
    String practitioner(
            @PathVariable UUID id,
            @RequestParam(name = "motif", required = false) UUID motiveId,
            @RequestParam(name = "site", required = false) UUID siteId,
            @RequestParam(name = "semaine", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    LocalDate week,
            Model model) {
        Practitioner p = directory.practitioner(id).orElseThrow(() -> new NotFoundException("practitioner"));
        List<Site> sites = directory.sitesOf(id);
        List<VisitMotive> motives = directory.motivesOf(id);
        List<VisitMotive> bookable =
                motives.stream().filter(VisitMotive::onlineBookable).toList();
        model.addAttribute("practitioner", p);
        model.addAttribute("sites", sites);
        model.addAttribute("motives", motives);
        model.addAttribute("bookableMotives", bookable);
        if (bookable.isEmpty() || sites.isEmpty()) {
            return "practitioner";
        }
        VisitMotive motive = bookable.stream()
                .filter(m -> m.id().equals(motiveId))
                .findFirst()
                .orElse(bookable.get(0));
        Site site =
                sites.stream().filter(s -> s.id().equals(siteId)).findFirst().orElse(sites.get(0));
        WeekGrid grid = WeekGrid.of(slots, p.id(), motive, site, week, clock.instant());
        grid.addTo(
                model,
                UriComponentsBuilder.fromPath("/praticiens/{id}")
                        .queryParam("motif", motive.id())
                        .queryParam("site", site.id())
                        .uriVariables(Map.of("id", p.id())),
                "slots.button");
        model.addAttribute("motive", motive);
        model.addAttribute("site", site);
        if (model.getAttribute("soonest") == null && policy.currentCaller() instanceof Caller.Patient me) {
            List<Person> people = accounts.people(me);
            // Alone on the account, the waiting list is for the account holder: no choice, no names.
            if (people.size() > 1) {
                model.addAttribute("waitlistPeople", people);
            }
        }
        return "practitioner";
    }

    /**
     * A signed-in patient puts themselves ({@code person=self}) or one of their relatives (its id) on
     * the practitioner's waiting list for the motive (offered where the page says there is no free
     * slot in the next 14 days), as on the JSON API; back to the page. Another account's relative
     * answers like a missing one.
     */
    @NotJournaled(WAITING_IS_NOT_AN_ACCESS)
    @PostMapping("/liste-d-attente")
    String joinWaitlist(
            @RequestParam UUID practitionerId,
            @RequestParam UUID motiveId,
            @RequestParam(required = false) UUID siteId,
            @RequestParam(defaultValue = "self") String person,
            RedirectAttributes redirect) {
        UriComponentsBuilder back = UriComponentsBuilder.fromPath("/praticiens/{id}")
                .queryParam("motif", motiveId)
                .queryParamIfPresent("site", Optional.ofNullable(siteId));
        String page = back.buildAndExpand(Map.of("id", practitionerId)).toUriString();
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        UUID relativeId = "self".equals(person) ? null : relative(person);
        try {
            bookings.joinWaitlist(me, practitionerId, motiveId, relativeId);
            redirect.addFlashAttribute("waitlistJoined", relativeId == null ? "self" : "relative");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("waitlistProblem", "problem." + e.code());
        }
        // Straight to the answer, which is further down the page.
        return "redirect:" + page + "#waitlist";
    }

    private static UUID relative(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("relative");
        }
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(HttpServletRequest request, HttpServletResponse response) {
        return errors.notFound(request, response);
    }
}
