package org.creneau.apps;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the token server and the FHIR endpoint read from the registry: an app by its id or client
 * id, and its grants that are active now (none while the app is suspended).
 */
public interface ConnectedApps {

    /** Joins the caller's transaction when there is one. */
    Optional<ConnectedApp> byId(UUID appId);

    Optional<ConnectedApp> byClientId(String clientId);

    /** An app's active grants across organizations (none while the app is suspended): ids, scopes, limits. */
    List<ActiveGrant> activeGrants(UUID appId);
}
