package org.creneau.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.PessimisticLockingFailureException;

/** How failures under /fhir are answered: bad input as a 400, a real failure without its internals. */
class FhirRefusalsTest {

    private final FhirRefusals refusals = new FhirRefusals();

    @Test
    void aRealFailureIsAnswered500WithoutQuotingItsMessage() {
        BaseServerResponseException answer = refusals.translate(new PessimisticLockingFailureException(
                "SQL [INSERT INTO appointment (patient_id) VALUES (?)]; deadlock detected"));
        assertThat(answer.getStatusCode()).isEqualTo(500);
        assertThat(answer.getMessage()).doesNotContain("SQL", "appointment", "deadlock");
    }

    @Test
    void aRefusalHapiAlreadyMadeIsLeftAsItIs() {
        assertThat(refusals.translate(new InvalidRequestException("bad"))).isNull();
    }
}
