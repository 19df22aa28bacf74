/**
 * The SMART Backend Services token server: Spring Authorization Server with client credentials
 * only, clients authenticated by a signed assertion (each accepted once), short-lived JWT access
 * tokens naming the app and its grants, their signing keys, and the SMART discovery document.
 */
package org.creneau.tokens;
