package org.creneau.journal.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.journal.AccessLog;
import org.creneau.journal.AccessRecord.ActorKind;
import org.creneau.journal.AppNames;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A patient sees who accessed their appointments and when: practice staff by role, apps by name.
 * The journal says who; the registry names the apps ({@link AppNames}).
 */
@RestController
class AccessLogController {

    private final AccessPolicy policy;
    private final AccessLog log;
    private final AppNames appNames;

    AccessLogController(AccessPolicy policy, AccessLog log, AppNames appNames) {
        this.policy = policy;
        this.log = log;
        this.appNames = appNames;
    }

    /** {@code app} names the connected app when one accessed (else null). */
    record Access(Instant at, String who, String role, String app, UUID organizationId, String purpose) {}

    @GetMapping("/api/v1/me/access-log")
    Page<Access> accesses(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        Caller.Patient me = policy.requirePatient();
        Page<AccessLog.Access> found = log.of(me, paging);
        Map<UUID, String> names = appNames.of(found.items().stream()
                .filter(a -> a.actorKind() == ActorKind.APP)
                .map(AccessLog.Access::actorId)
                .toList());
        return new Page<>(
                found.items().stream()
                        .map(a -> new Access(
                                a.at(),
                                switch (a.actorKind()) {
                                    case APP -> "CONNECTED_APP";
                                    case PLATFORM -> "PLATFORM";
                                    case ACCOUNT -> "PRACTICE_STAFF";
                                },
                                a.actorRole(),
                                a.actorKind() == ActorKind.APP ? names.get(a.actorId()) : null,
                                a.organizationId(),
                                a.purpose()))
                        .toList(),
                found.page());
    }
}
