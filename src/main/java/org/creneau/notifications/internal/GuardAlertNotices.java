package org.creneau.notifications.internal;

import java.util.ArrayList;
import java.util.List;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.ConnectedApps;
import org.creneau.guard.ContainmentOrdered;
import org.creneau.identity.StaffMembers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the organization's admins and the platform's security contact that the guard contained a
 * connected app: which app, which signal, the alert to look up. No patient data.
 */
@Component
class GuardAlertNotices {

    private final TenantScope scope;
    private final StaffMembers staff;
    private final ConnectedApps apps;
    private final Outbox outbox;
    private final String securityContact;

    GuardAlertNotices(
            TenantScope scope,
            StaffMembers staff,
            ConnectedApps apps,
            Outbox outbox,
            @Value("${creneau.guard.security-contact:}") String securityContact) {
        this.scope = scope;
        this.staff = staff;
        this.apps = apps;
        this.outbox = outbox;
        this.securityContact = securityContact.trim();
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
        String body = """
                Bonjour,

                Le garde-fou de Créneau a suspendu l'accès du logiciel connecté « %s » (application %s)
                à votre structure : %s.
                Signal : %s%s
                Alerte : %s, le %s (UTC). Le journal des accès est gelé jusqu'à cet instant.

                Seul un administrateur peut rétablir l'accès, après vérification.
                """.formatted(
                        facts.app(),
                        alert.appId(),
                        alert.severe() ? "dans toutes les structures" : "pour cette structure",
                        alert.signal().name(),
                        alert.severe() ? " (grave)" : "",
                        alert.alertId(),
                        alert.raisedAt());
        for (String to : recipients) {
            outbox.enqueue(Message.email(
                    "guard-alert:" + alert.alertId(),
                    to,
                    MessageKind.GUARD_ALERT,
                    "alert " + alert.alertId(),
                    "Créneau : accès d'un logiciel connecté suspendu",
                    body));
        }
    }
}
