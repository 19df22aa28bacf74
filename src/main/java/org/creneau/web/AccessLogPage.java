package org.creneau.web;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.directory.Directory;
import org.creneau.directory.Organization;
import org.creneau.journal.AccessLog;
import org.creneau.journal.NotJournaled;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * "Who accessed my data": the patient's access log as a page, in plain words: which practice, which
 * role or which connected app, when, and for what purpose (roles and purposes from the bundles).
 */
@Controller
class AccessLogPage {

    static final int PAGE_SIZE = 20;

    /** Why the page leaves no journal entry: the same as the JSON API's access log. */
    static final String OWN_ACCESS_LOG = "the patient's own access log, as GET /api/v1/me/access-log: who accessed,"
            + " when and why, no appointment or patient record; the patient's own reads are not listed in it either";

    private final AccessLog log;
    private final Directory directory;
    private final AccessPolicy policy;
    private final MessageSource messages;
    private final ZoneId zone;

    AccessLogPage(
            AccessLog log,
            Directory directory,
            AccessPolicy policy,
            MessageSource messages,
            @Value("${creneau.default-time-zone:Europe/Paris}") String zone) {
        this.log = log;
        this.directory = directory;
        this.policy = policy;
        this.messages = messages;
        this.zone = ZoneId.of(zone);
    }

    /** One line of the log: the keys and arguments its words come from. */
    record Line(ZonedDateTime at, String practice, String whoKey, String app, String purposeKey) {}

    @NotJournaled(OWN_ACCESS_LOG)
    @GetMapping("/mes-acces")
    String accesses(@RequestParam(defaultValue = "0") int page, Model model, Locale locale) {
        if (!(policy.currentCaller() instanceof Caller.Patient me)) {
            return "redirect:/se-connecter";
        }
        Page<AccessLog.Access> found =
                log.of(me, new Paging(Math.max(0, Math.min(page, Paging.MAX_NUMBER)), PAGE_SIZE));
        Map<UUID, String> practices = new HashMap<>();
        List<Line> lines = found.items().stream()
                .map(a -> new Line(
                        a.at().atZone(zone),
                        a.organizationId() == null
                                ? null
                                : practices.computeIfAbsent(
                                        a.organizationId(),
                                        id -> directory
                                                .organization(id)
                                                .map(Organization::name)
                                                .orElse(null)),
                        whoKey(a),
                        a.app(),
                        purposeKey(a.purpose(), locale)))
                .toList();
        long total = found.page().totalItems();
        int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        model.addAttribute("lines", lines);
        model.addAttribute("total", total);
        model.addAttribute("pageNumber", found.page().number());
        model.addAttribute("pages", pages);
        model.addAttribute(
                "previousPage", found.page().number() > 0 ? found.page().number() - 1 : null);
        model.addAttribute(
                "nextPage", found.page().number() + 1 < pages ? found.page().number() + 1 : null);
        return "access-log";
    }

    private static String whoKey(AccessLog.Access a) {
        return switch (a.who()) {
            case CONNECTED_APP -> "access.who.app";
            case PLATFORM -> "access.who.platform";
            case PRACTICE_STAFF ->
                a.role() == null
                        ? "access.who.staff"
                        : switch (a.role()) {
                            case "PRACTITIONER" -> "access.who.practitioner";
                            case "SECRETARY" -> "access.who.secretary";
                            case "ORG_ADMIN" -> "access.who.admin";
                            default -> "access.who.staff";
                        };
        };
    }

    /** The bundle key of a declared purpose ("book for a patient": access.purpose.book-for-a-patient). */
    static String purposeKeyOf(String purpose) {
        String slug = purpose == null
                ? ""
                : purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return "access.purpose." + slug;
    }

    /** A purpose without words yet is said in general terms rather than shown as a code. */
    private String purposeKey(String purpose, Locale locale) {
        String key = purposeKeyOf(purpose);
        return messages.getMessage(key, null, null, locale) != null ? key : "access.purpose.other";
    }
}
