package org.creneau.patients;

import java.time.Instant;
import java.util.UUID;

/** Staff added someone to the organization's patient file: identifiers only. */
public record PatientFiled(UUID organizationId, UUID orgPatientId, UUID actorAccountId, Instant occurredAt) {}
