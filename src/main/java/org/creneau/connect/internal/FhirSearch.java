package org.creneau.connect.internal;

import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.UUID;

/** The rules every FHIR search shares: one page size cap, one way to match {@code _id} and references. */
final class FhirSearch {

    private FhirSearch() {}

    /** The page size asked for, at least 1 and at most {@link FhirAppointments#MAX_COUNT}. */
    static int limit(Integer count) {
        return Math.min(count == null ? FhirAppointments.MAX_COUNT : Math.max(count, 1), FhirAppointments.MAX_COUNT);
    }

    /** True when no {@code _id} was asked, or it names {@code id}. */
    static boolean matches(TokenParam wanted, UUID id) {
        return wanted == null || id.toString().equals(wanted.getValue());
    }

    /** True when no reference was asked, or it points at {@code id} (e.g. {@code Practitioner/{id}}). */
    static boolean matches(ReferenceParam wanted, UUID id) {
        return wanted == null || id.toString().equals(wanted.getIdPart());
    }
}
