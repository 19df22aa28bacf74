package org.creneau.apps.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.apps.ConnectedApp;
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

/** A platform admin registers connected apps, suspends them and reactivates them. */
@RestController
@RequestMapping("/api/v1/admin/connected-apps")
class ConnectedAppAdminController {

    private final AccessPolicy policy;
    private final ConnectedAppRegistry registry;

    ConnectedAppAdminController(AccessPolicy policy, ConnectedAppRegistry registry) {
        this.policy = policy;
        this.registry = registry;
    }

    record NewApp(String name, String contact, String jwksUrl, Map<String, Object> jwks, List<String> scopes) {}

    record AppView(
            UUID id,
            String clientId,
            String name,
            String contact,
            String jwksUrl,
            boolean inlineJwks,
            List<String> scopes,
            ConnectedApp.Status status,
            Instant createdAt) {

        static AppView of(ConnectedApp app) {
            return new AppView(
                    app.id(),
                    app.clientId(),
                    app.name(),
                    app.contactEmail(),
                    app.jwksUrl(),
                    app.jwks() != null,
                    app.allowedScopes(),
                    app.status(),
                    app.createdAt());
        }
    }

    @PostMapping
    ResponseEntity<AppView> register(@RequestBody NewApp body) {
        UUID admin = policy.requirePlatformAdmin();
        ConnectedApp app = registry.register(
                new ConnectedAppRegistry.Registration(
                        body.name(), body.contact(), body.jwksUrl(), body.jwks(), body.scopes()),
                admin);
        return ResponseEntity.status(201).body(AppView.of(app));
    }

    @GetMapping
    Page<AppView> list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        policy.requirePlatformAdmin();
        Page<ConnectedApp> apps = registry.list(Paging.of(page, size));
        return new Page<>(apps.items().stream().map(AppView::of).toList(), apps.page());
    }

    @PostMapping("/{id}/suspend")
    AppView suspend(@PathVariable UUID id) {
        UUID admin = policy.requirePlatformAdmin();
        return AppView.of(registry.suspend(id, admin));
    }

    @PostMapping("/{id}/reactivate")
    AppView reactivate(@PathVariable UUID id) {
        UUID admin = policy.requirePlatformAdmin();
        return AppView.of(registry.reactivate(id, admin));
    }
}
