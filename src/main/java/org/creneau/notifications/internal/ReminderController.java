package org.creneau.notifications.internal;

import java.util.List;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.Accounts;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reminders: an organization's admin chooses when they go (7d, 48h, 24h, 2h before, by email and by
 * SMS); a patient turns them off or on for their account.
 */
@RestController
class ReminderController {

    private final AccessPolicy policy;
    private final ReminderPolicies policies;
    private final TenantScope scope;
    private final Accounts accounts;

    ReminderController(AccessPolicy policy, ReminderPolicies policies, TenantScope scope, Accounts accounts) {
        this.policy = policy;
        this.policies = policies;
        this.scope = scope;
        this.accounts = accounts;
    }

    /** The leads, by channel, as {@code "7d"}, {@code "48h"}, {@code "24h"} or {@code "2h"}. */
    record ReminderSettings(List<String> email, List<String> sms) {

        static ReminderSettings of(ReminderPolicies.Policy p) {
            return new ReminderSettings(
                    p.email().stream().map(ReminderLead::label).toList(),
                    p.sms().stream().map(ReminderLead::label).toList());
        }
    }

    @GetMapping("/api/v1/staff/organization/settings/reminders")
    ReminderSettings reminders() {
        Caller.Staff admin = policy.requireOrgAdmin();
        return ReminderSettings.of(policies.of(admin.organizationId()));
    }

    @PutMapping("/api/v1/staff/organization/settings/reminders")
    ReminderSettings setReminders(@RequestBody ReminderSettings body) {
        Caller.Staff admin = policy.requireOrgAdmin();
        return ReminderSettings.of(policies.set(
                admin,
                new ReminderPolicies.Policy(ReminderPolicies.parse(body.email()), ReminderPolicies.parse(body.sms()))));
    }

    record ReminderChoice(boolean enabled) {}

    @PutMapping("/api/v1/me/reminders")
    ResponseEntity<ReminderChoice> patientReminders(@RequestBody ReminderChoice body) {
        Caller.Patient me = policy.requirePatient();
        scope.write(me, () -> accounts.setReminders(me.accountId(), body.enabled()));
        return ResponseEntity.ok(body);
    }
}
