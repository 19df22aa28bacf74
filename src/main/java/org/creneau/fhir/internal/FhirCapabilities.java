package org.creneau.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Narrative;

/**
 * The CapabilityStatement at {@code /fhir/metadata} names Créneau and its version as the software
 * (HAPI's defaults name HAPI): what an integrator's conformance tooling records and reports on.
 */
@Interceptor
class FhirCapabilities {

    static final String SOFTWARE = "Créneau";

    private final String version;

    FhirCapabilities(String version) {
        this.version = version;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    void named(IBaseConformance generated) {
        if (!(generated instanceof CapabilityStatement statement)) {
            return;
        }
        statement.setName("Creneau");
        statement.setTitle(SOFTWARE + " FHIR R4 API");
        statement.setPublisher(SOFTWARE);
        statement.getSoftware().setName(SOFTWARE).setVersion(version);
        statement.getImplementation().setDescription(SOFTWARE + " " + version + " FHIR R4 API");
        statement.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString(SOFTWARE + " FHIR R4 API");
    }
}
