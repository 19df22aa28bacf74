package org.creneau.access;

/** What a staff member may do on one agenda. Managing appointments implies seeing them. */
public enum AgendaRight {
    VIEW_APPOINTMENTS,
    MANAGE_APPOINTMENTS,
    MANAGE_SETTINGS
}
