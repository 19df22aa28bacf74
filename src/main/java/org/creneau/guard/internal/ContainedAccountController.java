package org.creneau.guard.internal;

import java.util.List;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's staff accounts the guard contained, for its admins: who, since when, which alert;
 * and lifting one, after checking. Another admin lifts an admin's containment (a contained account's
 * own requests are refused).
 */
@RestController
class ContainedAccountController {

    private final AccessPolicy policy;
    private final StaffContainment containment;

    ContainedAccountController(AccessPolicy policy, StaffContainment containment) {
        this.policy = policy;
        this.containment = containment;
    }

    @GetMapping("/api/v1/staff/contained-accounts")
    List<StaffContainment.Contained> contained() {
        return containment.of(policy.requireOrgAdmin());
    }

    @PostMapping("/api/v1/staff/contained-accounts/{accountId}/lift")
    ResponseEntity<Void> lift(@PathVariable UUID accountId) {
        containment.lift(policy.requireOrgAdmin(), accountId);
        return ResponseEntity.noContent().build();
    }
}
