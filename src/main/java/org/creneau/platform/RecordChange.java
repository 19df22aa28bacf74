package org.creneau.platform;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One change to an appointment or a patient as its owner's history keeps it: which record, when, by
 * whom (an account, or a connected app and its grant, or the platform), which fields, and their values
 * before and after as JSON objects (field name to value; {@code {}} before an insert).
 *
 * @param recordType {@code Appointment}, {@code Patient} (an entry of an organization's patient file)
 *     or {@code Person} (the person behind a patient account)
 * @param actorKind {@code ACCOUNT}, {@code APP} or {@code PLATFORM}, as the journal names actors
 */
public record RecordChange(
        String recordType,
        UUID recordId,
        UUID organizationId,
        Instant at,
        String operation,
        String actorKind,
        UUID actorId,
        UUID grantId,
        List<String> fields,
        String beforeJson,
        String afterJson) {

    public RecordChange {
        fields = List.copyOf(fields);
    }
}
