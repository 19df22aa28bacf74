package org.creneau.patients;

import java.time.LocalDate;
import java.util.UUID;
import org.creneau.patients.OrgPatients.OrgPatient;

/** A patient of an organization's file as staff see it, in the JSON API and the workspace's pages alike. */
public record OrgPatientView(
        UUID id,
        String firstName,
        String lastName,
        LocalDate birthDate,
        String phone,
        String email,
        boolean bookedOnline,
        int noShowCount,
        boolean onlineBookingBlocked) {
    public static OrgPatientView of(OrgPatient p) {
        return new OrgPatientView(
                p.id(),
                p.firstName(),
                p.lastName(),
                p.birthDate(),
                p.phone(),
                p.email(),
                p.accountId() != null,
                p.noShowCount(),
                p.onlineBookingBlocked());
    }
}
