package org.creneau.notifications.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import org.creneau.access.AccessPolicy;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.StaffPage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The platform admin's page of failed messages, and of the latest SMS of the outbox: the same lists
 * as {@link MessageAdminController}.
 */
@Controller
@StaffPage
class MessagePages {

    private final AccessPolicy policy;
    private static final int LATEST_SMS = 20;

    private final FailedMessages failed;
    private final SmsOutbox smsOutbox;
    private final ZoneId zone;

    MessagePages(
            AccessPolicy policy,
            FailedMessages failed,
            SmsOutbox smsOutbox,
            @Value("${creneau.default-time-zone:Europe/Paris}") String zone) {
        this.policy = policy;
        this.failed = failed;
        this.smsOutbox = smsOutbox;
        this.zone = ZoneId.of(zone);
    }

    record Row(FailedMessages.FailedMessage message, String failedAt) {}

    record SmsRow(SmsOutbox.Sms sms, String at) {}

    @GetMapping("/admin/messages")
    String failed(@RequestParam(required = false) Integer page, Locale locale, Model model) {
        policy.requirePlatformAdmin();
        Page<FailedMessages.FailedMessage> found = failed.list(Paging.of(page, null));
        DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
                .withLocale(locale)
                .withZone(zone);
        model.addAttribute(
                "messages",
                found.items().stream()
                        .map(m -> new Row(m, when.format(m.failedAt())))
                        .toList());
        model.addAttribute("page", found.page());
        Page<SmsOutbox.Sms> latest = smsOutbox.list(Paging.of(null, LATEST_SMS));
        model.addAttribute(
                "sms",
                latest.items().stream()
                        .map(s -> new SmsRow(s, when.format(s.createdAt())))
                        .toList());
        model.addAttribute("smsTotal", latest.page().totalItems());
        return "admin/messages";
    }
}
