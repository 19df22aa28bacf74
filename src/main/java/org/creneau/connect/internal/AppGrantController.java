package org.creneau.connect.internal;

import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization admin decides which connected apps reach the organization's data, with which
 * scopes and on which agendas. Other staff get 404, as on every admin route.
 */
@RestController
@RequestMapping("/api/v1/staff/connected-app-grants")
class AppGrantController {

    private final AccessPolicy policy;
    private final AppGrants grants;

    AppGrantController(AccessPolicy policy, AppGrants grants) {
        this.policy = policy;
        this.grants = grants;
    }

    @PostMapping
    ResponseEntity<AppGrants.Grant> grant(@RequestBody AppGrants.NewGrant body) {
        return ResponseEntity.status(201).body(grants.grant(AppGrants.Grantor.admin(policy.requireOrgAdmin()), body));
    }

    @GetMapping
    Page<AppGrants.Grant> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return grants.list(AppGrants.Grantor.admin(policy.requireOrgAdmin()), Paging.of(page, size));
    }

    @PostMapping("/{grantId}/suspend")
    AppGrants.Grant suspend(@PathVariable UUID grantId) {
        return grants.suspend(AppGrants.Grantor.admin(policy.requireOrgAdmin()), grantId);
    }

    @PostMapping("/{grantId}/resume")
    AppGrants.Grant resume(@PathVariable UUID grantId) {
        return grants.resume(AppGrants.Grantor.admin(policy.requireOrgAdmin()), grantId);
    }

    @PostMapping("/{grantId}/revoke")
    AppGrants.Grant revoke(@PathVariable UUID grantId) {
        return grants.revoke(AppGrants.Grantor.admin(policy.requireOrgAdmin()), grantId);
    }
}
