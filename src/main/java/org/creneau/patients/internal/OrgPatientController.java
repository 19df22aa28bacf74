package org.creneau.patients.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.patients.OrgPatientView;
import org.creneau.patients.OrgPatients.NewOrgPatient;
import org.creneau.patients.OrgPatients.OrgPatient;
import org.creneau.patients.PatientFile;
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
 * The organization's patient file over HTTP, for staff who hold rights on at least one of its agendas.
 * {@link PatientFile} checks the rights and reads or files; this maps requests and answers.
 */
@RestController
@RequestMapping("/api/v1/staff/patients")
class OrgPatientController {

    private final AccessPolicy policy;
    private final PatientFile file;

    OrgPatientController(AccessPolicy policy, PatientFile file) {
        this.policy = policy;
        this.file = file;
    }

    record NewPatient(
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull @Past LocalDate birthDate,
            @NotBlank @Size(max = 20) String phone,
            @Size(max = 254) String email) {}

    @Journaled(purpose = "search the patient file", resource = Resource.PATIENT)
    @GetMapping
    Page<OrgPatientView> search(
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String phone,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate birthDate,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        Page<OrgPatient> found = file.search(policy.requireStaff(), name, phone, birthDate, paging);
        return new Page<>(found.items().stream().map(OrgPatientView::of).toList(), found.page());
    }

    @Journaled(purpose = "view patient file entry", resource = Resource.PATIENT)
    @GetMapping("/{id}")
    OrgPatientView one(@PathVariable UUID id) {
        return OrgPatientView.of(file.entry(policy.requireStaff(), id));
    }

    @Journaled(purpose = "lift online-booking block", resource = Resource.PATIENT, outcome = Outcome.UPDATED)
    @PostMapping("/{id}/lift-online-booking-block")
    OrgPatientView liftOnlineBookingBlock(@PathVariable UUID id) {
        return OrgPatientView.of(file.liftOnlineBookingBlock(policy.requireStaff(), id));
    }

    @Journaled(purpose = "add to the patient file", resource = Resource.PATIENT, outcome = Outcome.CREATED)
    @PostMapping
    ResponseEntity<OrgPatientView> create(@Valid @RequestBody NewPatient body) {
        OrgPatient created = file.add(
                policy.requireStaff(),
                new NewOrgPatient(body.firstName(), body.lastName(), body.birthDate(), body.phone(), body.email()));
        return ResponseEntity.status(201).body(OrgPatientView.of(created));
    }
}
