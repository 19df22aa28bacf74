/**
 * The SMART Backend Services token server: Spring Authorization Server with client credentials
 * only, clients authenticated by a signed assertion (each accepted once), short-lived JWT access
 * tokens naming the app and its grants, their signing keys, and the SMART discovery document.
 */
@OwnsTables({"client_assertion_jti", "token_signing_key"})
package org.creneau.tokens;

import org.creneau.platform.OwnsTables;
