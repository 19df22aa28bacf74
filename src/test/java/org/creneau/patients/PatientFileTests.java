package org.creneau.patients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.StaffRole;
import org.creneau.patients.OrgPatients.NewOrgPatient;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Paging;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.RecordedEvents;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The patient file's application service decides who may search, open and add to it, whichever
 * surface calls it: staff with no right on any agenda are told it does not exist, and another
 * organization's entry is not found.
 */
@IntegrationTest
class PatientFileTests {

    @Autowired
    PatientFile file;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordedEvents events;

    Practice practice;
    Caller.Staff desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("orl");
        desk = new Caller.Staff(practice.staffAccountId(), practice.organizationId(), StaffRole.SECRETARY, null);
    }

    @Test
    void staffWithRightsAddFindAndOpenAnEntryAndTheFilingIsPublished() {
        String last = "Fichier" + UUID.randomUUID().toString().substring(0, 8);
        OrgPatient added =
                file.add(desk, new NewOrgPatient("Odile", last, LocalDate.of(1970, 3, 2), "06 11 22 33 44", null));

        assertThat(file.search(desk, last, null, null, Paging.of(null, null)).items())
                .extracting(OrgPatient::id)
                .containsExactly(added.id());
        assertThat(file.entry(desk, added.id()).lastName()).isEqualTo(last);
        assertThat(events.of(PatientFiled.class))
                .filteredOn(e -> e.orgPatientId().equals(added.id()))
                .singleElement()
                .satisfies(e -> assertThat(e.actorAccountId()).isEqualTo(practice.staffAccountId()));
    }

    @Test
    void staffWithoutAnyAgendaRightAreToldTheFileDoesNotExistAndAddNothing() {
        String last = "Refus" + UUID.randomUUID().toString().substring(0, 8);
        Caller.Staff withoutRights =
                new Caller.Staff(UUID.randomUUID(), practice.organizationId(), StaffRole.SECRETARY, null);

        assertThatThrownBy(() -> file.search(withoutRights, "a", null, null, Paging.of(null, null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> file.add(
                        withoutRights,
                        new NewOrgPatient("Odile", last, LocalDate.of(1970, 3, 2), "06 11 22 33 44", null)))
                .isInstanceOf(NotFoundException.class);
        assertThat(file.search(desk, last, null, null, Paging.of(null, null)).items())
                .isEmpty();
    }

    @Test
    void anotherOrganizationsEntryIsNotFound() {
        Practice other = fixtures.practice("orl");
        Caller.Staff otherDesk =
                new Caller.Staff(other.staffAccountId(), other.organizationId(), StaffRole.SECRETARY, null);
        OrgPatient theirs = file.add(
                otherDesk, new NewOrgPatient("Odile", "Ailleurs", LocalDate.of(1970, 3, 2), "06 11 22 33 44", null));

        assertThatThrownBy(() -> file.entry(desk, theirs.id())).isInstanceOf(NotFoundException.class);
    }
}
