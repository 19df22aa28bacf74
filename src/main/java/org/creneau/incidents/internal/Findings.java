package org.creneau.incidents.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.creneau.journal.AccessRecord.ActorKind;
import org.creneau.platform.RecordChange;

/** What an investigation found, ready to be written out: every figure the report's files show. */
record Findings(
        ActorKind actorKind,
        UUID actorId,
        String actorName,
        Instant from,
        Instant to,
        Instant firstAccess,
        Instant lastAccess,
        Instant detectedAt,
        String detection,
        Instant containedAt,
        int entries,
        int attempts,
        List<OrganizationRecords> organizations,
        Integrity integrity,
        Timeline timeline) {

    public int appointments() {
        return organizations.stream().mapToInt(o -> o.appointments().size()).sum();
    }

    public int patients() {
        return organizations.stream().mapToInt(o -> o.patients().size()).sum();
    }

    public int patientsWithContactDetails() {
        return organizations.stream()
                .mapToInt(OrganizationRecords::patientsWithContactDetails)
                .sum();
    }

    /** One organization's records the actor read or wrote; {@code id} null for entries of no organization. */
    record OrganizationRecords(
            UUID id,
            String name,
            List<AppointmentRecord> appointments,
            List<PatientRecord> patients,
            List<OtherRecord> others,
            int attempts) {

        public int patientsWithContactDetails() {
            return (int) patients.stream().filter(PatientRecord::contactExposed).count();
        }
    }

    /** How the actor touched a record, from the journal: read, wrote, or both; when, how many times. */
    record Access(boolean read, boolean wrote, Instant first, Instant last, int times) {

        public String word() {
            return read && wrote ? "read, wrote" : wrote ? "wrote" : "read";
        }
    }

    /** An appointment concerned; its details as it is now (null when the platform no longer finds it). */
    record AppointmentRecord(
            UUID id,
            Access access,
            Instant start,
            String practitioner,
            UUID patientId,
            String status,
            boolean contactExposed) {}

    /**
     * A patient concerned: read directly (a patient-file entry) or named by an appointment read. Names
     * and language for the practice's extract and the letter; null when the entry is not found.
     */
    record PatientRecord(
            UUID id,
            boolean readDirectly,
            Access access,
            boolean contactExposed,
            List<String> fieldsExposed,
            List<UUID> appointmentIds,
            String firstName,
            String lastName,
            LocalDate birthDate,
            Locale language) {}

    /** Any other kind of record the journal names (a waiting-list entry). */
    record OtherRecord(String type, UUID id, Access access) {}

    /**
     * The integrity section: the journal's verification, the actor's writes from the history, and the
     * verdict ({@code noRecordAltered} only when the journal verifies and the actor wrote nothing).
     */
    record Integrity(
            boolean journalIntact,
            long entriesVerified,
            int chains,
            int checkpoints,
            List<String> problems,
            List<String> verificationFindings,
            List<RecordChange> writes,
            int journaledWrites,
            boolean noRecordAltered,
            List<String> cannotProve) {}

    /** Requests per minute and distinct patients so far, minute by minute, for the summary's chart. */
    record Timeline(Instant start, List<Minute> minutes) {

        record Minute(Instant at, int requests, int patientsSoFar) {}
    }
}
