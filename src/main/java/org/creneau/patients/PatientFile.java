package org.creneau.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.patients.OrgPatients.NewOrgPatient;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The organization's patient file as its staff use it: searching it or opening an entry needs the
 * right to see appointments on at least one of its agendas, adding someone the right to manage them.
 * Staff without it are told the file does not exist, as for anything that is not theirs.
 */
@Service
public class PatientFile {

    private final OrgPatients file;
    private final AgendaRights rights;
    private final TenantScope scope;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PatientFile(
            OrgPatients file, AgendaRights rights, TenantScope scope, ApplicationEventPublisher events, Clock clock) {
        this.file = file;
        this.rights = rights;
        this.scope = scope;
        this.events = events;
        this.clock = clock;
    }

    /** Refuses, as not found, staff who may not open the file at all (before showing its search form). */
    public void requireAccess(Caller.Staff staff) {
        scope.read(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            return null;
        });
    }

    /** The file searched by the start of a name, a phone number or a birth date; at least one is needed. */
    public Page<OrgPatient> search(Caller.Staff staff, String name, String phone, LocalDate birthDate, Paging paging) {
        return scope.read(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            return file.search(name, phone, birthDate, paging);
        });
    }

    public OrgPatient entry(Caller.Staff staff, UUID id) {
        return scope.read(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            return file.find(id).orElseThrow(() -> new NotFoundException("patient"));
        });
    }

    /** Adds someone the practice receives (who phoned, or came in); publishes {@link PatientFiled}. */
    public OrgPatient add(Caller.Staff staff, NewOrgPatient person) {
        return scope.write(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.MANAGE_APPOINTMENTS);
            UUID id = file.create(staff.organizationId(), person);
            events.publishEvent(new PatientFiled(staff.organizationId(), id, staff.accountId(), clock.instant()));
            return file.find(id).orElseThrow();
        });
    }

    /**
     * Lifts the online-booking block that no-shows put on a person (needs the right to manage
     * appointments on one of the organization's agendas); returns the entry as it is now.
     */
    public OrgPatient liftOnlineBookingBlock(Caller.Staff staff, UUID id) {
        return scope.write(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.MANAGE_APPOINTMENTS);
            if (!file.liftOnlineBookingBlock(id)) {
                throw new NotFoundException("patient");
            }
            return file.find(id).orElseThrow();
        });
    }

    private void requireAnyAgenda(Caller.Staff staff, AgendaRight right) {
        if (rights.agendasWith(staff, right).isEmpty()) {
            throw new NotFoundException("patient file");
        }
    }
}
