package org.creneau.booking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.availability.SlotFinder;
import org.creneau.booking.BookingApiTests;
import org.creneau.booking.ConnectedAppBookings;
import org.creneau.platform.TimeWindow;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.StatementCounter;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How many statements a hold and a connected app's booking send to PostgreSQL, counted on the
 * thread that runs them: the figure must not grow back (issue #10, part 7).
 */
@IntegrationTest
class HoldRoundTripTests {

    /**
     * Statements of one patient's hold, its transaction's caller included, measured (18 before the
     * directory and the ranges were kept in memory and the locks folded). Rows of Spring Modulith's
     * event publication registry (one per listener of the hold's event, 5 today) are the outbox's
     * cost and counted apart: they change with the listeners, not with the hold.
     */
    static final int HOLD_STATEMENTS = 7;
    /** Statements of one booking by a connected app (FHIR {@code POST Appointment}); 9 before. */
    static final int APP_BOOKING_STATEMENTS = 5;

    static final Instant TUESDAY_9 = BookingApiTests.TUESDAY_9;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    AppointmentBook book;

    @Autowired
    ConnectedAppBookings appBookings;

    @Autowired
    SlotFinder slots;

    @Autowired
    org.creneau.patients.OrgPatients orgPatients;

    @Autowired
    org.creneau.access.TenantScope scope;

    Practice practice;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("psychiatre");
    }

    @Test
    void aHoldSendsNoMoreStatementsThanMeasured() {
        UUID account = UUID.fromString(
                new ApiClient(port, clock).registerAndLogin("hold-rt-" + UUID.randomUUID() + "@test.creneau.fr"));
        // What a patient does first: look at the slots (which warms what a node keeps between requests).
        slots.freeSlots(
                practice.practitionerId(),
                practice.motiveId(),
                new TimeWindow(TUESDAY_9, TUESDAY_9.plusSeconds(86_400)));
        var held = StatementCounter.count(() -> book.hold(
                new Caller.Patient(account),
                new AppointmentBook.HoldRequest(
                        practice.practitionerId(), practice.siteId(), practice.motiveId(), TUESDAY_9, null)));
        System.out.println("HOLD statements=" + held.counted().statements().size() + " commits="
                + held.counted().commitCount() + "\n  "
                + String.join("\n  ", held.counted().statements()));
        assertThat(held.value().status()).isEqualTo(org.creneau.booking.AppointmentStatus.HELD);
        assertThat(own(held.counted())).hasSizeLessThanOrEqualTo(HOLD_STATEMENTS);
        // The outbox keeps a row only for listeners that act on a hold (FHIR subscriptions), and none
        // is completed on the booking's thread: one commit, the hold's (3 before: the waitlist's
        // listener, which acts on cancellations only, was marked processing then completed here).
        assertThat(held.counted().commitCount()).isEqualTo(1);
        assertThat(held.counted().statements())
                .filteredOn(sql -> sql.toUpperCase(java.util.Locale.ROOT).contains("EVENT_PUBLICATION"))
                .hasSizeLessThanOrEqualTo(HOLD_PUBLICATIONS);
    }

    /** Listeners of a hold's event that keep an outbox row: FHIR subscriptions' queue (3 before). */
    static final int HOLD_PUBLICATIONS = 1;

    @Test
    void aConnectedAppsBookingSendsNoMoreStatementsThanMeasured() {
        UUID org = practice.organizationId();
        UUID filed = scope.write(
                new Caller.System(org),
                () -> orgPatients.create(
                        org,
                        new org.creneau.patients.OrgPatients.NewOrgPatient(
                                "Jeanne", "Testeuse", java.time.LocalDate.of(1985, 4, 12), "+33 6 12 34 56 78", null)));
        slots.freeSlots(
                practice.practitionerId(),
                practice.motiveId(),
                new TimeWindow(TUESDAY_9, TUESDAY_9.plusSeconds(86_400)));
        var booked = StatementCounter.count(() -> appBookings.book(
                org, practice.practitionerId(), practice.motiveId(), practice.siteId(), TUESDAY_9, filed, null, null));
        System.out.println(
                "APP BOOKING statements=" + booked.counted().statements().size() + " commits="
                        + booked.counted().commitCount() + "\n  "
                        + String.join("\n  ", booked.counted().statements()));
        assertThat(booked.value()).isNotNull();
        assertThat(own(booked.counted())).hasSizeLessThanOrEqualTo(APP_BOOKING_STATEMENTS);
    }

    /** The statements of the operation itself, without the event publication registry's rows. */
    static java.util.List<String> own(StatementCounter.Counted counted) {
        return counted.statements().stream()
                .filter(sql -> !sql.toUpperCase(java.util.Locale.ROOT).contains("EVENT_PUBLICATION"))
                .toList();
    }
}
