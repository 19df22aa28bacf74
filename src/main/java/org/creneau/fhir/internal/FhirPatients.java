package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApps;
import org.creneau.patients.OrgPatients;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

/**
 * Patient for connected apps, least data first: only with {@code system/Patient.r}, only a patient
 * with an appointment in a granted agenda (row-level security, acting through the grant: V17), and
 * phone and email only when the organization ticked "contact details" on the grant.
 */
@Component
class FhirPatients implements IResourceProvider {

    static final String SCOPE_READ = "system/Patient.r";

    private final ConnectedApps registry;
    private final TenantScope scope;
    private final OrgPatients orgPatients;

    FhirPatients(ConnectedApps registry, TenantScope scope, OrgPatients orgPatients) {
        this.registry = registry;
        this.scope = scope;
        this.orgPatients = orgPatients;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    record Row(
            UUID id,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String phone,
            String email,
            boolean contactDetails) {}

    @Read
    public Patient read(@IdParam IdType id, RequestDetails request) {
        AppToken token = AppToken.current(registry);
        UUID wanted;
        try {
            wanted = UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException(id);
        }
        for (ActiveGrant grant : token.requireScope(SCOPE_READ)) {
            // Acting through the grant, the patient file holds the patients of its agendas only (V17).
            Optional<Row> row = scope.read(
                            new Caller.App(grant.organizationId(), grant.grantId()), () -> orgPatients.find(wanted))
                    .map(p -> new Row(
                            p.id(),
                            p.firstName(),
                            p.lastName(),
                            p.birthDate(),
                            p.phone(),
                            p.email(),
                            grant.contactDetails()));
            if (row.isPresent()) {
                Patient patient = resource(row.get());
                List<String> fields = new ArrayList<>(List.of("id", "name", "birthDate"));
                if (row.get().contactDetails()) {
                    fields.add("telecom");
                }
                Disclosure.declare(request, "read", "Patient", fields, "READ").shown(grant, List.of(wanted));
                return patient;
            }
        }
        throw new ResourceNotFoundException(id);
    }

    private static Patient resource(Row r) {
        Patient p = new Patient();
        p.setId(new IdType("Patient", r.id().toString()));
        p.addName().setFamily(r.lastName()).addGiven(r.firstName());
        p.setBirthDate(Date.valueOf(r.birthDate()));
        if (r.contactDetails()) {
            if (r.phone() != null) {
                p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(r.phone());
            }
            if (r.email() != null) {
                p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(r.email());
            }
        }
        return p;
    }
}
