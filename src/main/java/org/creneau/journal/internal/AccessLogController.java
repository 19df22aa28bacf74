package org.creneau.journal.internal;

import org.creneau.access.AccessPolicy;
import org.creneau.journal.AccessLog;
import org.creneau.journal.NotJournaled;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A patient sees who accessed their appointments and when: practice staff by role, apps by name. */
@RestController
class AccessLogController {

    /** Why reading one's own access log leaves no entry (the API and the page alike). */
    static final String OWN_ACCESS_LOG = "the patient's own access log: who accessed, when and why, no appointment or"
            + " patient record; the patient's own reads are not listed in it either";

    private final AccessPolicy policy;
    private final AccessLog log;

    AccessLogController(AccessPolicy policy, AccessLog log) {
        this.policy = policy;
        this.log = log;
    }

    @NotJournaled(OWN_ACCESS_LOG)
    @GetMapping("/api/v1/me/access-log")
    Page<AccessLog.Access> accesses(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return log.of(policy.requirePatient(), Paging.of(page, size));
    }
}
