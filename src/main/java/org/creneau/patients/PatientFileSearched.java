package org.creneau.patients;

import java.util.UUID;

/**
 * A staff member searched the patient file by the start of a name alone: the guard counts short
 * prefixes per account (a sweep pages through "aa", "ab"...). {@code namePrefix} is the criterion as
 * searched (lower case, single spaces); listeners keep no more of it than they need.
 */
public record PatientFileSearched(UUID organizationId, UUID accountId, String namePrefix) {}
