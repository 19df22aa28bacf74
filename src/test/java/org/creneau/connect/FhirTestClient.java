package org.creneau.connect;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Map;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.TestConfiguration;
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

    static final FhirContext FHIR = FhirContext.forR4Cached();

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

    /**
     * A client of a new connected app, registered by a platform admin with {@code scopes}, granted
     * them by the practice's admin (with contact details) and holding a token for them.
     */
    public static IGenericClient grantedApp(int port, Fixtures fixtures, Practice practice, List<String> scopes) {
        ApiClient platform = SignIn.platformAdmin(port, fixtures.platformAdmin());
        ApiClient orgAdmin = SignIn.staff(port, practice.adminEmail());
        SmartBackendClient app = new SmartBackendClient(port);
        String clientId = platform.post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel de cabinet",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                app.publicJwks(),
                                "scopes",
                                scopes))
                .text("clientId");
        orgAdmin.post(
                "/api/v1/staff/connected-app-grants",
                Map.of("clientId", clientId, "scopes", scopes, "contactDetails", true));
        String token = app.requestToken(
                        app.sign(
                                app.claims(clientId, TestConfiguration.clock().instant())
                                        .build(),
                                app.rsa),
                        String.join(" ", scopes))
                .accessToken();
        if (token == null) {
            throw new AssertionError("no token for the new app");
        }
        return withToken(port, token);
    }

    /** The errors (and fatal errors) of base R4 validation: empty for a valid resource. */
    public static List<SingleValidationMessage> errorsOf(IBaseResource resource) {
        return VALIDATOR.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
    }
}
