package org.creneau.apps.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.ConnectedApps;
import org.creneau.journal.AppNames;
import org.springframework.stereotype.Component;

/** The registry's names of apps, for the patient's access log. */
@Component
class RegisteredAppNames implements AppNames {

    private final ConnectedApps apps;

    RegisteredAppNames(ConnectedApps apps) {
        this.apps = apps;
    }

    /** A page of the access log names few apps: one registry read each. */
    @Override
    public Map<UUID, String> of(Collection<UUID> appIds) {
        Map<UUID, String> names = new HashMap<>();
        appIds.stream()
                .distinct()
                .forEach(id -> apps.byId(id).map(ConnectedApp::name).ifPresent(name -> names.put(id, name)));
        return names;
    }
}
