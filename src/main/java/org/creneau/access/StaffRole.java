package org.creneau.access;

/** The role a staff member holds in one organization. */
public enum StaffRole {
    PRACTITIONER,
    SECRETARY,
    ORG_ADMIN
}
