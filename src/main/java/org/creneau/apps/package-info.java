/**
 * Connected apps: the platform's registry of third-party software and the grants each
 * organization gives them, with their JSON API, admin pages and command. The token server and the
 * FHIR endpoint read an app and its active grants through {@link ConnectedApps}.
 */
@OwnsTables({"connected_app", "app_grant"})
package org.creneau.apps;

import org.creneau.platform.OwnsTables;
