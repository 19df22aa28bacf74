package org.creneau.notifications.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.StaffAccountContained;
import org.creneau.identity.StaffMembers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the organization's admins and the platform's security contact that the guard contained one of
 * its staff accounts, on the same path as an app's containment ({@link GuardAlertNotices}): which
 * account, which signal, the alert to look up. No patient data.
 */
@Component
class StaffGuardAlertNotices {

    private final TenantScope scope;
    private final StaffMembers staff;
    private final MailTemplates templates;
    private final Outbox outbox;
    private final String securityContact;

    StaffGuardAlertNotices(
            TenantScope scope,
            StaffMembers staff,
            MailTemplates templates,
            Outbox outbox,
            @Value("${creneau.guard.security-contact:}") String securityContact) {
        this.scope = scope;
        this.staff = staff;
        this.templates = templates;
        this.outbox = outbox;
        this.securityContact = securityContact.trim();
    }

    @ApplicationModuleListener
    void on(StaffAccountContained alert) {
        record Facts(List<String> admins, String account) {}
        Facts facts = scope.read(
                new Caller.System(alert.organizationId()),
                () -> new Facts(
                        staff.adminEmails(),
                        staff.email(alert.accountId()).orElse(alert.accountId().toString())));
        List<String> recipients = new ArrayList<>(facts.admins());
        if (!securityContact.isEmpty() && !recipients.contains(securityContact)) {
            recipients.add(securityContact);
        }
        // Admins are found by address only, and the security contact has no account: French, the platform's language.
        Locale language = Locale.FRENCH;
        Map<String, Object> model = new HashMap<>();
        model.put("account", facts.account());
        model.put("accountId", alert.accountId());
        model.put("signal", alert.signal().name());
        model.put("alertId", alert.alertId());
        model.put("raisedAt", alert.raisedAt());
        MailTemplates.Rendered mail = templates.render(MessageKind.STAFF_GUARD_ALERT, language, model);
        for (String to : recipients) {
            outbox.enqueue(new Message(
                    "staff-guard-alert:" + alert.alertId(),
                    to,
                    Message.Channel.EMAIL,
                    MessageKind.STAFF_GUARD_ALERT,
                    "alert " + alert.alertId(),
                    mail.subject(),
                    mail.text(),
                    mail.html(),
                    null));
        }
    }
}
