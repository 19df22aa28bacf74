package org.creneau.notifications.internal;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.Accounts;
import org.creneau.identity.SecurityNotice;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Emails the owner of an account about its security (a sign-in from a new device, the second factor
 * turned on or off, the password changed), in the account's language. These are not reminders: the
 * account's message settings never turn them off.
 */
@Component
class SecurityNoticeMails {

    /** Accounts have no time zone of their own; the platform serves France. */
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    private final TenantScope scope;
    private final Accounts accounts;
    private final MailTemplates templates;
    private final Outbox outbox;

    SecurityNoticeMails(TenantScope scope, Accounts accounts, MailTemplates templates, Outbox outbox) {
        this.scope = scope;
        this.accounts = accounts;
        this.templates = templates;
        this.outbox = outbox;
    }

    @ApplicationModuleListener
    void on(SecurityNotice notice) {
        Caller owner = new Caller.AccountOwner(notice.accountId());
        String email =
                scope.read(owner, () -> accounts.contact(notice.accountId()).email());
        Locale language = scope.read(owner, () -> accounts.language(notice.accountId()));
        MailTemplates.Rendered mail = templates.render(
                MessageKind.SECURITY_NOTICE,
                language,
                Map.of(
                        "what",
                        templates.word(
                                "mail.security-notice." + notice.kind().name(),
                                language,
                                templates.when(notice.occurredAt(), ZONE, language))));
        outbox.enqueue(new Message(
                "security:" + notice.accountId() + ":" + notice.kind() + "@" + notice.occurredAt(),
                email,
                Message.Channel.EMAIL,
                MessageKind.SECURITY_NOTICE,
                "account " + notice.accountId() + " " + notice.kind(),
                mail.subject(),
                mail.text(),
                mail.html(),
                null));
    }
}
