package org.creneau.tokens;

/** The claims our access tokens carry beside the standard ones: which app, and under which grants. */
public final class AccessTokenClaims {

    /** The connected app's id (the registered client's id). */
    public static final String APP_ID = "app_id";

    public static final String CLIENT_ID = "client_id";

    /** The ids of the grants behind the scopes the token carries. */
    public static final String GRANT_IDS = "grant_ids";

    private AccessTokenClaims() {}
}
