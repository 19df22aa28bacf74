package org.creneau.notifications.internal;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRightsChanged;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.StaffMembers;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Tells an agenda's practitioner when someone gains or loses rights on it. */
@Component
class AgendaRightsNotices {

    private final TenantScope scope;
    private final StaffMembers staff;
    private final Outbox outbox;

    AgendaRightsNotices(TenantScope scope, StaffMembers staff, Outbox outbox) {
        this.scope = scope;
        this.staff = staff;
        this.outbox = outbox;
    }

    @ApplicationModuleListener
    void on(AgendaRightsChanged change) {
        record Recipients(String practitioner, String member) {}
        Recipients who = scope.read(
                new Caller.System(change.organizationId()),
                () -> new Recipients(
                        staff.practitionerEmail(change.practitionerId()).orElse(null),
                        staff.email(change.accountId()).orElse(null)));
        if (who.practitioner() == null || change.accountId().equals(accountOfPractitioner(change))) {
            return;
        }
        String member = who.member() == null ? "Un membre de l'équipe" : who.member();
        outbox.enqueue(Message.email(
                // The change itself is in the key: two changes in the same instant are two messages.
                "agenda-rights:" + change.practitionerId() + ":" + change.accountId() + ":"
                        + new TreeSet<>(change.before()) + ">" + new TreeSet<>(change.after()) + "@"
                        + change.occurredAt(),
                who.practitioner(),
                MessageKind.AGENDA_RIGHTS_CHANGED,
                "agenda " + change.practitionerId() + " member " + change.accountId(),
                "Créneau : droits modifiés sur votre agenda",
                """
                Bonjour,

                Les droits de %s sur votre agenda ont changé.
                Avant : %s
                Maintenant : %s

                Si vous n'êtes pas à l'origine de ce changement, prévenez l'administrateur de votre structure.
                """.formatted(member, describe(change.before()), describe(change.after()))));
    }

    private UUID accountOfPractitioner(AgendaRightsChanged change) {
        return scope.read(
                new Caller.System(change.organizationId()),
                () -> staff.practitionerAccount(change.practitionerId()).orElse(null));
    }

    private static String describe(Set<AgendaRight> rights) {
        if (rights.isEmpty()) {
            return "aucun droit";
        }
        return rights.stream()
                .sorted()
                .map(r -> switch (r) {
                    case VIEW_APPOINTMENTS -> "voir les rendez-vous";
                    case MANAGE_APPOINTMENTS -> "gérer les rendez-vous";
                    case MANAGE_SETTINGS -> "gérer les réglages de l'agenda";
                })
                .collect(Collectors.joining(", "));
    }
}
