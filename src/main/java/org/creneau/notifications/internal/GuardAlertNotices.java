package org.creneau.notifications.internal;

import java.util.ArrayList;
import java.util.List;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.ContainmentOrdered;
import org.creneau.notifications.MailChannel;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the organization's admins and the platform's security contact that the guard contained a
 * connected app: which app, which signal, the alert to look up. No patient data.
 */
@Component
class GuardAlertNotices {

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final MailChannel mail;
    private final String securityContact;

    GuardAlertNotices(
            TenantScope scope,
            JdbcClient jdbc,
            MailChannel mail,
            @Value("${creneau.guard.security-contact:}") String securityContact) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.mail = mail;
        this.securityContact = securityContact.trim();
    }

    @ApplicationModuleListener
    void on(ContainmentOrdered alert) {
        record Facts(List<String> admins, String app) {}
        Facts facts = scope.read(
                new Caller.System(alert.organizationId()),
                () -> new Facts(
                        jdbc.sql("SELECT email FROM staff_member WHERE role = 'ORG_ADMIN' AND email IS NOT NULL"
                                        + " ORDER BY email")
                                .query(String.class)
                                .list(),
                        jdbc.sql("SELECT name FROM connected_app WHERE id = :id")
                                .param("id", alert.appId())
                                .query(String.class)
                                .optional()
                                .orElse(alert.appId().toString())));
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
            mail.send(
                    to,
                    "Créneau : accès d'un logiciel connecté suspendu",
                    body,
                    "guard-alert:" + alert.alertId() + ":" + to);
        }
    }
}
