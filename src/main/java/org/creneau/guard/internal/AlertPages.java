package org.creneau.guard.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The admin page of the guard's alerts: staff must be their organization's admin (others get 404,
 * as on the JSON API) and see its alerts, with a link to the grants page where they resume an app;
 * platform admins see every organization's.
 */
@Controller
@StaffPage
class AlertPages {

    private final AccessPolicy policy;
    private final GuardAlerts alerts;
    private final ZoneId zone;

    AlertPages(
            AccessPolicy policy, GuardAlerts alerts, @Value("${creneau.default-time-zone:Europe/Paris}") String zone) {
        this.policy = policy;
        this.alerts = alerts;
        this.zone = ZoneId.of(zone);
    }

    record AlertRow(GuardAlerts.Alert alert, String raisedAt) {}

    @GetMapping("/admin/alerts")
    String alerts(@RequestParam(required = false) Integer page, Locale locale, Model model) {
        DateTimeFormatter raisedAt = DateTimeFormatter.ofPattern("d MMMM yyyy HH:mm:ss", locale);
        Paging paging = Paging.of(page, null);
        boolean organization = policy.currentCaller() instanceof Caller.Staff;
        List<GuardAlerts.Alert> found;
        if (organization) {
            found = alerts.ofOrganization(policy.requireOrgAdmin(), paging);
        } else {
            policy.requirePlatformAdmin();
            found = alerts.all(paging);
        }
        model.addAttribute(
                "alerts",
                found.stream()
                        .map(a -> new AlertRow(a, raisedAt.format(a.raisedAt().atZone(zone))))
                        .toList());
        model.addAttribute("organization", organization);
        model.addAttribute("paging", paging);
        // The guard's queries count nothing: a full page suggests there may be another.
        model.addAttribute("more", found.size() == paging.size());
        return "admin/alerts";
    }
}
