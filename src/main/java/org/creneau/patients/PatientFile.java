package org.creneau.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
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
 * right to see appointments on at least one of its agendas, and shows only the people of those
 * agendas (an appointment on one of them, or none yet anywhere); adding someone needs the right to
 * manage appointments. Staff without it are told the file does not exist, as for anything that is not
 * theirs.
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

    /**
     * The people of the caller's agendas searched by a real criterion (see {@link OrgPatients#search}): at
     * least two letters of a name, a phone number or a full birth date.
     */
    public Page<OrgPatient> search(Caller.Staff staff, String name, String phone, LocalDate birthDate, Paging paging) {
        Page<OrgPatient> found = scope.read(staff, () -> {
            List<UUID> agendas = requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            return file.search(name, phone, birthDate, agendas, paging);
        });
        if (name != null && !name.isBlank() && (phone == null || phone.isBlank()) && birthDate == null) {
            // After the read's transaction: the guard may contain the account, in a transaction of its own.
            events.publishEvent(
                    new PatientFileSearched(staff.organizationId(), staff.accountId(), OrgPatients.searchName(name)));
        }
        return found;
    }

    /** One person of the caller's agendas; anyone else is not found. */
    public OrgPatient entry(Caller.Staff staff, UUID id) {
        return scope.read(staff, () -> {
            List<UUID> agendas = requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            return file.findOnAgendas(id, agendas).orElseThrow(() -> new NotFoundException("patient"));
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
            List<UUID> agendas = requireAnyAgenda(staff, AgendaRight.MANAGE_APPOINTMENTS);
            if (file.findOnAgendas(id, agendas).isEmpty() || !file.liftOnlineBookingBlock(id)) {
                throw new NotFoundException("patient");
            }
            return file.find(id).orElseThrow();
        });
    }

    private List<UUID> requireAnyAgenda(Caller.Staff staff, AgendaRight right) {
        List<UUID> agendas = rights.agendasWith(staff, right);
        if (agendas.isEmpty()) {
            throw new NotFoundException("patient file");
        }
        return agendas;
    }
}
