package org.creneau.notifications.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.ConnectedApps;
import org.creneau.apps.GrantLimitsChanged;
import org.creneau.guard.AlertRaised;
import org.creneau.guard.ContainmentOrdered;
import org.creneau.identity.StaffMembers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the organization's admins and the platform's security contact that the guard contained a
 * connected app or alerted on it (a quota reached): which app, which signal, the alert to look up; and
 * the security contact of every change of a grant's limits. No patient data.
 */
@Component
class GuardAlertNotices {

    private final TenantScope scope;
    private final StaffMembers staff;
    private final ConnectedApps apps;
    private final MailTemplates templates;
    private final Outbox outbox;
    private final String securityContact;

    GuardAlertNotices(
            TenantScope scope,
            StaffMembers staff,
            ConnectedApps apps,
            MailTemplates templates,
            Outbox outbox,
            @Value("${creneau.guard.security-contact:}") String securityContact) {
        this.scope = scope;
        this.staff = staff;
        this.apps = apps;
        this.templates = templates;
        this.outbox = outbox;
        this.securityContact = securityContact.trim();
    }

    /** A quota reached: the admins and the security contact are told at once, the access stays open. */
    @ApplicationModuleListener
    void on(AlertRaised alert) {
        List<String> recipients =
                new ArrayList<>(scope.read(new Caller.System(alert.organizationId()), staff::adminEmails));
        if (!securityContact.isEmpty() && !recipients.contains(securityContact)) {
            recipients.add(securityContact);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("app", appName(alert.appId()));
        model.put("appId", alert.appId());
        model.put("detail", alert.detail());
        model.put("signal", alert.signal().name());
        model.put("alertId", alert.alertId());
        model.put("raisedAt", alert.raisedAt());
        MailTemplates.Rendered mail = templates.render(MessageKind.GUARD_NOTICE, Locale.FRENCH, model);
        for (String to : recipients) {
            outbox.enqueue(new Message(
                    "guard-notice:" + alert.alertId(),
                    to,
                    Message.Channel.EMAIL,
                    MessageKind.GUARD_NOTICE,
                    "alert " + alert.alertId(),
                    mail.subject(),
                    mail.text(),
                    mail.html(),
                    null));
        }
    }

    /** A grant's limits changed: the platform's security contact sees every change, before and after. */
    @ApplicationModuleListener
    void on(GrantLimitsChanged change) {
        if (securityContact.isEmpty()) {
            return;
        }
        List<Map<String, String>> lines = change.after().keySet().stream()
                .sorted()
                .filter(k -> !change.after().get(k).equals(change.before().get(k)))
                .map(k -> Map.of(
                        "name",
                        k,
                        "before",
                        change.before().get(k),
                        "after",
                        change.after().get(k)))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("app", appName(change.appId()));
        model.put("appId", change.appId());
        model.put("organizationId", change.organizationId());
        model.put("grantId", change.grantId());
        model.put(
                "actor",
                change.actorAccountId() == null ? "-" : change.actorAccountId().toString());
        model.put("lines", lines);
        model.put("occurredAt", change.occurredAt());
        MailTemplates.Rendered mail = templates.render(MessageKind.GRANT_LIMITS_CHANGED, Locale.FRENCH, model);
        outbox.enqueue(new Message(
                "grant-limits:" + change.grantId() + ":" + change.occurredAt().toEpochMilli(),
                securityContact,
                Message.Channel.EMAIL,
                MessageKind.GRANT_LIMITS_CHANGED,
                "grant " + change.grantId(),
                mail.subject(),
                mail.text(),
                mail.html(),
                null));
    }

    private String appName(java.util.UUID appId) {
        return apps.byId(appId).map(ConnectedApp::name).orElse(appId.toString());
    }

    @ApplicationModuleListener
    void on(ContainmentOrdered alert) {
        record Facts(List<String> admins, String app) {}
        List<String> admins = scope.read(new Caller.System(alert.organizationId()), staff::adminEmails);
        String app = apps.byId(alert.appId())
                .map(ConnectedApp::name)
                .orElse(alert.appId().toString());
        Facts facts = new Facts(admins, app);
        List<String> recipients = new ArrayList<>(facts.admins());
        if (!securityContact.isEmpty() && !recipients.contains(securityContact)) {
            recipients.add(securityContact);
        }
        // Admins are found by address only, and the security contact has no account: French, the platform's language.
        Locale language = Locale.FRENCH;
        Map<String, Object> model = new HashMap<>();
        model.put("app", facts.app());
        model.put("appId", alert.appId());
        model.put(
                "where",
                templates.word(alert.severe() ? "mail.guard-alert.everywhere" : "mail.guard-alert.here", language));
        model.put("severe", alert.severe());
        model.put("signal", alert.signal().name());
        model.put("alertId", alert.alertId());
        model.put("raisedAt", alert.raisedAt());
        MailTemplates.Rendered mail = templates.render(MessageKind.GUARD_ALERT, language, model);
        for (String to : recipients) {
            outbox.enqueue(new Message(
                    "guard-alert:" + alert.alertId(),
                    to,
                    Message.Channel.EMAIL,
                    MessageKind.GUARD_ALERT,
                    "alert " + alert.alertId(),
                    mail.subject(),
                    mail.text(),
                    mail.html(),
                    null));
        }
    }
}
