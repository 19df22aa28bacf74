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
 * An organization's choice of messages: its admin chooses when reminders go (7d, 48h, 24h, 2h
 * before, by email and by SMS) and whether emails' bodies name the motive; a patient turns reminders
 * off or on, and SMS about their appointments on or off, for their account.
 */
@RestController
class ReminderController {

    private final AccessPolicy policy;
    private final ReminderPolicies policies;
    private final TenantScope scope;
    private final Accounts accounts;
    private final MessagePreferences preferences;

    ReminderController(
            AccessPolicy policy,
            ReminderPolicies policies,
            TenantScope scope,
            Accounts accounts,
            MessagePreferences preferences) {
        this.policy = policy;
        this.policies = policies;
        this.scope = scope;
        this.accounts = accounts;
        this.preferences = preferences;
    }

    /**
     * The leads, by channel, as {@code "7d"}, {@code "48h"}, {@code "24h"} or {@code "2h"}, and whether
     * emails' bodies name the motive (left as it was when a change omits it).
     */
    record ReminderSettings(List<String> email, List<String> sms, Boolean motiveInEmail) {

        static ReminderSettings of(ReminderPolicies.Policy p) {
            return new ReminderSettings(
                    p.email().stream().map(ReminderLead::label).toList(),
                    p.sms().stream().map(ReminderLead::label).toList(),
                    p.motiveInEmail());
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
        boolean motiveInEmail = body.motiveInEmail() == null
                ? policies.of(admin.organizationId()).motiveInEmail()
                : body.motiveInEmail();
        return ReminderSettings.of(policies.set(
                admin,
                new ReminderPolicies.Policy(
                        ReminderPolicies.parse(body.email()), ReminderPolicies.parse(body.sms()), motiveInEmail)));
    }

    record ReminderChoice(boolean enabled) {}

    /** Whether the patient gets an SMS when they book and when the practice moves or cancels. */
    record SmsChoice(boolean enabled) {}

    @GetMapping("/api/v1/me/sms")
    SmsChoice patientSms() {
        Caller.Patient me = policy.requirePatient();
        return new SmsChoice(preferences.sms(me.accountId()));
    }

    @PutMapping("/api/v1/me/sms")
    SmsChoice setPatientSms(@RequestBody SmsChoice body) {
        Caller.Patient me = policy.requirePatient();
        preferences.setSms(me.accountId(), body.enabled());
        return body;
    }

    @PutMapping("/api/v1/me/reminders")
    ResponseEntity<ReminderChoice> patientReminders(@RequestBody ReminderChoice body) {
        Caller.Patient me = policy.requirePatient();
        scope.write(me, () -> accounts.setReminders(me.accountId(), body.enabled()));
        return ResponseEntity.ok(body);
    }
}
