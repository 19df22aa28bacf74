package org.creneau.notifications.internal;

import org.creneau.access.AccessPolicy;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform admin reads the messages that failed for good (recipient masked, never the content),
 * and the SMS outbox: what a platform without an SMS provider wrote instead of sending.
 */
@RestController
class MessageAdminController {

    private final AccessPolicy policy;
    private final FailedMessages failed;
    private final SmsOutbox smsOutbox;

    MessageAdminController(AccessPolicy policy, FailedMessages failed, SmsOutbox smsOutbox) {
        this.policy = policy;
        this.failed = failed;
        this.smsOutbox = smsOutbox;
    }

    @GetMapping("/api/v1/admin/messages")
    Page<FailedMessages.FailedMessage> failed(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        policy.requirePlatformAdmin();
        return failed.list(Paging.of(page, size));
    }

    @GetMapping("/api/v1/admin/sms")
    Page<SmsOutbox.Sms> sms(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        policy.requirePlatformAdmin();
        return smsOutbox.list(Paging.of(page, size));
    }
}
