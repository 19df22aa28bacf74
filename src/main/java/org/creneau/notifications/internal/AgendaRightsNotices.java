package org.creneau.notifications.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRightsChanged;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.Accounts;
import org.creneau.identity.StaffMembers;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Tells an agenda's practitioner when someone gains or loses rights on it, in the practitioner's language. */
@Component
class AgendaRightsNotices {

    private final TenantScope scope;
    private final StaffMembers staff;
    private final Accounts accounts;
    private final MailTemplates templates;
    private final Outbox outbox;

    AgendaRightsNotices(
            TenantScope scope, StaffMembers staff, Accounts accounts, MailTemplates templates, Outbox outbox) {
        this.scope = scope;
        this.staff = staff;
        this.accounts = accounts;
        this.templates = templates;
        this.outbox = outbox;
    }

    @ApplicationModuleListener
    void on(AgendaRightsChanged change) {
        record Recipient(UUID account, String practitioner, String member) {}
        Recipient who = scope.read(
                new Caller.System(change.organizationId()),
                () -> new Recipient(
                        staff.practitionerAccount(change.practitionerId()).orElse(null),
                        staff.practitionerEmail(change.practitionerId()).orElse(null),
                        staff.email(change.accountId()).orElse(null)));
        if (who.practitioner() == null || change.accountId().equals(who.account())) {
            return;
        }
        Locale language =
                scope.read(new Caller.System(change.organizationId()), () -> accounts.language(who.account()));
        MailTemplates.Rendered mail = templates.render(
                MessageKind.AGENDA_RIGHTS_CHANGED,
                language,
                Map.of(
                        "member",
                        who.member() == null
                                ? templates.word("mail.agenda-rights-changed.someone", language)
                                : who.member(),
                        "before",
                        describe(change.before(), language),
                        "after",
                        describe(change.after(), language)));
        outbox.enqueue(new Message(
                // The change itself is in the key: two changes in the same instant are two messages.
                "agenda-rights:" + change.practitionerId() + ":" + change.accountId() + ":"
                        + new TreeSet<>(change.before()) + ">" + new TreeSet<>(change.after()) + "@"
                        + change.occurredAt(),
                who.practitioner(),
                Message.Channel.EMAIL,
                MessageKind.AGENDA_RIGHTS_CHANGED,
                "agenda " + change.practitionerId() + " member " + change.accountId(),
                mail.subject(),
                mail.text(),
                mail.html(),
                null));
    }

    private String describe(Set<AgendaRight> rights, Locale language) {
        if (rights.isEmpty()) {
            return templates.word("mail.agenda-rights-changed.none", language);
        }
        return rights.stream()
                .sorted()
                .map(r -> templates.word("mail.right." + r.name(), language))
                .collect(Collectors.joining(", "));
    }
}
