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
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;

    FhirPatients(ConnectedApps registry, TenantScope scope, JdbcClient jdbc) {
        this.registry = registry;
        this.scope = scope;
        this.jdbc = jdbc;
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
            Optional<Row> row = scope.read(
                    new Caller.App(grant.organizationId(), grant.grantId()),
                    () -> jdbc.sql("""
                            SELECT op.id, op.first_name, op.last_name, op.birth_date, op.phone, op.email,
                                   g.contact_details
                              FROM org_patient op
                              JOIN app_grant g ON g.id = :grant AND g.organization_id = op.organization_id
                             WHERE op.id = :id
                            """)
                            .param("grant", grant.grantId())
                            .param("id", wanted)
                            .query((rs, i) -> new Row(
                                    rs.getObject("id", UUID.class),
                                    rs.getString("first_name"),
                                    rs.getString("last_name"),
                                    rs.getObject("birth_date", LocalDate.class),
                                    rs.getString("phone"),
                                    rs.getString("email"),
                                    rs.getBoolean("contact_details")))
                            .optional());
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
