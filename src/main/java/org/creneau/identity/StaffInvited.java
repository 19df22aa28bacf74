package org.creneau.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization's admin invited someone to join its staff: the invitation is to be mailed. The
 * link is issued when the mail is written ({@link StaffInvitations#issueLink}), never kept with the event.
 */
public record StaffInvited(UUID organizationId, UUID invitationId, Instant occurredAt) {}
