package org.creneau.connect.internal;

/** The rules every FHIR search shares: one page size cap. */
final class FhirSearch {

    private FhirSearch() {}

    /** The page size asked for, at least 1 and at most {@link FhirAppointments#MAX_COUNT}. */
    static int limit(Integer count) {
        return Math.min(count == null ? FhirAppointments.MAX_COUNT : Math.max(count, 1), FhirAppointments.MAX_COUNT);
    }
}
