package org.creneau.platform;

/**
 * A request was refused (404 or 403): published so the journal can record attempts on patient or
 * appointment data, and the guard count them. Carries the method and path (identifiers only).
 */
public record RequestRefused(String method, String path, int status) {}
