package org.creneau.patients.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.OrgPatients;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's patient file, for staff who hold rights on at least one of its agendas:
 * searching needs to see appointments, adding someone needs to manage them.
 */
@RestController
@RequestMapping("/api/v1/staff/patients")
class OrgPatientController {

    private final AccessPolicy policy;
    private final AgendaRights rights;
    private final OrgPatients file;
    private final TenantScope scope;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final java.time.Clock clock;

    OrgPatientController(
            AccessPolicy policy,
            AgendaRights rights,
            OrgPatients file,
            TenantScope scope,
            org.springframework.context.ApplicationEventPublisher events,
            java.time.Clock clock) {
        this.events = events;
        this.clock = clock;
        this.policy = policy;
        this.rights = rights;
        this.file = file;
        this.scope = scope;
    }

    record NewPatient(
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull @Past LocalDate birthDate,
            @NotBlank @Size(max = 20) String phone,
            @Size(max = 254) String email) {}

    record OrgPatientView(
            UUID id,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String phone,
            String email,
            boolean bookedOnline,
            int noShowCount,
            boolean onlineBookingBlocked) {
        static OrgPatientView of(OrgPatient p) {
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

    @Journaled(purpose = "search the patient file", resource = Resource.PATIENT)
    @GetMapping
    Page<OrgPatientView> search(
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String phone,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate birthDate,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        Caller.Staff staff = policy.requireStaff();
        Page<OrgPatientView> result = scope.read(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            Page<OrgPatient> found = file.search(name, phone, birthDate, paging);
            return new Page<>(found.items().stream().map(OrgPatientView::of).toList(), found.page());
        });
        return result;
    }

    @Journaled(purpose = "view patient file entry", resource = Resource.PATIENT)
    @GetMapping("/{id}")
    OrgPatientView one(@PathVariable UUID id) {
        Caller.Staff staff = policy.requireStaff();
        OrgPatientView view = scope.read(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.VIEW_APPOINTMENTS);
            return file.find(id).map(OrgPatientView::of).orElseThrow(() -> new NotFoundException("patient"));
        });
        return view;
    }

    @Journaled(purpose = "add to the patient file", resource = Resource.PATIENT, outcome = Outcome.CREATED)
    @PostMapping
    ResponseEntity<OrgPatientView> create(@Valid @RequestBody NewPatient body) {
        Caller.Staff staff = policy.requireStaff();
        OrgPatientView created = scope.write(staff, () -> {
            requireAnyAgenda(staff, AgendaRight.MANAGE_APPOINTMENTS);
            UUID id = file.create(
                    staff.organizationId(),
                    new OrgPatients.NewOrgPatient(
                            body.firstName(), body.lastName(), body.birthDate(), body.phone(), body.email()));
            events.publishEvent(new org.creneau.patients.PatientFiled(
                    staff.organizationId(), id, staff.accountId(), clock.instant()));
            return OrgPatientView.of(file.find(id).orElseThrow());
        });
        return ResponseEntity.status(201).body(created);
    }

    private void requireAnyAgenda(Caller.Staff staff, AgendaRight right) {
        if (rights.agendasWith(staff, right).isEmpty()) {
            throw new NotFoundException("patient file");
        }
    }
}
