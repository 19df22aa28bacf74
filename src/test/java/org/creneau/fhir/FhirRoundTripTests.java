package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.StatementCounter;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How many statements, commits and pool checkouts one FHIR read by a connected app costs on the
 * server, rate limit, token, read, guard and journal included: the figures must not grow back
 * (issue #10, the FHIR read path's overhead).
 */
@IntegrationTest
class FhirRoundTripTests {

    /**
     * A read by id, everything included: the rate limit's one statement, the token's grants and the
     * read (each a caller and a query), and the guard's observation with the journal entry, one
     * statement. 8 before the rate limit became one statement (Bucket4j: lock, update, SET LOCAL).
     */
    static final int READ_STATEMENTS = 6;
    /** The token's and the read's transactions; the rate limit and the observation commit on their own. */
    static final int READ_COMMITS = 2;
    /** Rate limit, token, read, observation: one pool checkout each. */
    static final int READ_CHECKOUTS = 4;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    Practice practice;
    GrantedApp app;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("orl");
        app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs", "system/Patient.r"));
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin("fhir-rt-" + UUID.randomUUID() + "@test.creneau.fr");
        patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", BookingApiTests.TUESDAY_9.toString()));
    }

    @Test
    void aReadByIdSendsNoMoreStatementsThanMeasured() throws Exception {
        String token = app.token();
        Appointment shown = (Appointment) FhirTestClient.withToken(port, token)
                .search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().second("2027-01-05T00:00:00Z"))
                .and(Appointment.DATE.before().second("2027-01-06T00:00:00Z"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        String patientId = shown.getParticipant().stream()
                .map(p -> p.getActor().getReference())
                .filter(ref -> ref.startsWith("Patient/"))
                .findFirst()
                .orElseThrow()
                .substring("Patient/".length());

        String appointmentRead = "appointment-" + UUID.randomUUID();
        counted(token, appointmentRead)
                .read()
                .resource(Appointment.class)
                .withId(shown.getIdElement().getIdPart())
                .execute();
        StatementCounter.Counted appointment = StatementCounter.ofRequest(appointmentRead);
        String patientRead = "patient-" + UUID.randomUUID();
        Patient patient = counted(token, patientRead)
                .read()
                .resource(Patient.class)
                .withId(patientId)
                .execute();
        StatementCounter.Counted patientCount = StatementCounter.ofRequest(patientRead);

        for (StatementCounter.Counted c : List.of(appointment, patientCount)) {
            System.out.println("FHIR READ statements=" + c.statements().size() + " commits=" + c.commitCount()
                    + " checkouts=" + c.checkoutCount() + "\n  " + String.join("\n  ", c.statements()));
        }
        assertThat(patient.getIdElement().getIdPart()).isEqualTo(patientId);
        for (StatementCounter.Counted c : List.of(appointment, patientCount)) {
            assertThat(c.statements()).hasSizeLessThanOrEqualTo(READ_STATEMENTS);
            assertThat(c.commitCount()).isLessThanOrEqualTo(READ_COMMITS);
            assertThat(c.checkoutCount()).isLessThanOrEqualTo(READ_CHECKOUTS);
        }
    }

    private IGenericClient counted(String token, String name) {
        IGenericClient client = FhirTestClient.withToken(port, token);
        client.registerInterceptor(
                new AdditionalRequestHeadersInterceptor(Map.of(StatementCounter.HEADER, List.of(name))));
        return client;
    }
}
