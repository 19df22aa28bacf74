package org.creneau.directory;

import java.util.UUID;

/**
 * Something in the directory changed: an organization, a site, a practitioner or its booking
 * rules, a motive. Published inside the transaction that changes it, so that what nodes keep of
 * the directory and of the availability computed from it is dropped.
 *
 * @param practitionerId the agenda concerned, or null when the change is not an agenda's
 */
public record DirectoryChanged(UUID organizationId, UUID practitionerId) {}
