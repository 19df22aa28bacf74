package org.creneau.notifications.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.creneau.identity.AccountLinkRequested;
import org.creneau.identity.AccountLinks;
import org.creneau.identity.AddressAlreadyRegistered;
import org.creneau.identity.StaffInvitations;
import org.creneau.identity.StaffInvited;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Mails about an account itself: the link verifying a new address, the password reset link, the
 * notice to an address's owner that someone tried to register with it, and the invitation to join a
 * practice's staff. Each link's token is issued here, in the same transaction as the outbox row, so
 * it is kept nowhere in clear but in that row until the mail is sent (the outbox then erases it).
 * Security messages: they cannot be turned off.
 */
@Component
class AccountNotices {

    private final AccountLinks links;
    private final StaffInvitations invitations;
    private final MailTemplates templates;
    private final Outbox outbox;
    private final String publicUrl;

    AccountNotices(
            AccountLinks links,
            StaffInvitations invitations,
            MailTemplates templates,
            Outbox outbox,
            @Value("${creneau.public-url}") String publicUrl) {
        this.links = links;
        this.invitations = invitations;
        this.templates = templates;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
    }

    @ApplicationModuleListener
    void on(AccountLinkRequested request) {
        String eventKey = "account-link:" + request.purpose() + ":" + request.requestId();
        MessageKind kind = switch (request.purpose()) {
            case VERIFY_EMAIL -> MessageKind.EMAIL_VERIFICATION;
            case RESET_PASSWORD -> MessageKind.PASSWORD_RESET;
        };
        String path = switch (request.purpose()) {
            case VERIFY_EMAIL -> "/verifier-email/";
            case RESET_PASSWORD -> "/mot-de-passe-oublie/";
        };
        // Read first: the listener's transaction then acts as the account (a scope never widens another).
        AccountLinks.Recipient to = links.recipient(request.accountId());
        // Empty when this event already issued its link: its mail is in the outbox.
        links.issue(request.purpose(), request.accountId(), eventKey).ifPresent(token -> {
            Map<String, Object> model = new HashMap<>();
            model.put("link", publicUrl + path + token);
            model.put("minutes", links.validity(request.purpose()).toMinutes());
            model.put("hours", links.validity(request.purpose()).toHours());
            queue(eventKey, to.email(), kind, "account " + request.accountId(), to.language(), model);
        });
    }

    @ApplicationModuleListener
    void on(AddressAlreadyRegistered attempt) {
        String eventKey = "registration-attempt:" + attempt.attemptId();
        AccountLinks.Recipient to = links.recipient(attempt.accountId());
        // The owner may have forgotten they have an account: the mail carries a reset link.
        links.issue(AccountLinkRequested.Purpose.RESET_PASSWORD, attempt.accountId(), eventKey)
                .ifPresent(token -> {
                    Map<String, Object> model = new HashMap<>();
                    model.put("link", publicUrl + "/mot-de-passe-oublie/" + token);
                    model.put(
                            "minutes",
                            links.validity(AccountLinkRequested.Purpose.RESET_PASSWORD)
                                    .toMinutes());
                    queue(
                            eventKey,
                            to.email(),
                            MessageKind.REGISTRATION_ATTEMPTED,
                            "account " + attempt.accountId(),
                            to.language(),
                            model);
                });
    }

    @ApplicationModuleListener
    void on(StaffInvited invited) {
        String eventKey = "staff-invitation:" + invited.invitationId();
        invitations.issueLink(invited.organizationId(), invited.invitationId()).ifPresent(link -> {
            Map<String, Object> model = new HashMap<>();
            model.put("link", publicUrl + "/connexion/invitation/" + link.token());
            model.put("organization", link.organizationName());
            model.put(
                    "role",
                    templates.word("mail.staff-invitation.role." + link.role().name(), link.language()));
            model.put("days", invitations.validity().toDays());
            queue(
                    eventKey,
                    link.email(),
                    MessageKind.STAFF_INVITATION,
                    "invitation " + invited.invitationId(),
                    link.language(),
                    model);
        });
    }

    private void queue(
            String eventKey,
            String to,
            MessageKind kind,
            String reference,
            Locale language,
            Map<String, Object> model) {
        MailTemplates.Rendered mail = templates.render(kind, language, model);
        outbox.enqueue(new Message(
                eventKey, to, Message.Channel.EMAIL, kind, reference, mail.subject(), mail.text(), mail.html(), null));
    }
}
