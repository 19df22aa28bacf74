package org.creneau.directory;

import java.util.List;
import java.util.UUID;

/** A health professional with the agenda patients book into. */
public record Practitioner(
        UUID id,
        UUID organizationId,
        String organizationName,
        String firstName,
        String lastName,
        String rpps,
        Specialty specialty,
        List<String> languages,
        boolean acceptsNewPatients,
        BookingRules rules) {

    public String displayName() {
        return firstName + " " + lastName;
    }
}
