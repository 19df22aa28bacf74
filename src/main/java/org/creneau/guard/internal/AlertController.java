package org.creneau.guard.internal;

import java.util.List;
import org.creneau.access.AccessPolicy;
import org.creneau.platform.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The guard's alerts: an organization's admin sees the organization's, the platform's admins see
 * all. Identifiers, the signal and the frozen journal position; never patient data.
 */
@RestController
class AlertController {

    private final AccessPolicy policy;
    private final GuardAlerts alerts;

    AlertController(AccessPolicy policy, GuardAlerts alerts) {
        this.policy = policy;
        this.alerts = alerts;
    }

    @GetMapping("/api/v1/staff/guard-alerts")
    List<GuardAlerts.Alert> ofOrganization(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return alerts.ofOrganization(policy.requireOrgAdmin(), Paging.of(page, size));
    }

    @GetMapping("/api/v1/admin/guard-alerts")
    List<GuardAlerts.Alert> all(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        policy.requirePlatformAdmin();
        return alerts.all(Paging.of(page, size));
    }
}
