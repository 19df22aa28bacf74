package org.creneau.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The real HAPI FHIR client and validator, as an integrator would use them against /fhir. Public
 * for the tests of other modules (the guard's) that play a connected app.
 */
public final class FhirTestClient {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final FhirValidator VALIDATOR = FHIR.newValidator()
            .registerValidatorModule(new FhirInstanceValidator(new ValidationSupportChain(
                    new DefaultProfileValidationSupport(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR),
                    new CommonCodeSystemsTerminologyService(FHIR))));

    private FhirTestClient() {}

    /** A client of the endpoint on {@code port} sending {@code accessToken} as a bearer token. */
    public static IGenericClient withToken(int port, String accessToken) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(accessToken));
        return client;
    }

    /** The errors (and fatal errors) of base R4 validation: empty for a valid resource. */
    public static List<SingleValidationMessage> errorsOf(IBaseResource resource) {
        return VALIDATOR.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
    }
}
