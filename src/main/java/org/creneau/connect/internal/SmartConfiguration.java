package org.creneau.connect.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creneau.connect.SmartScope;

/**
 * SMART App Launch 2 discovery for backend services: where and how to get a token. Served at
 * {@code /fhir/.well-known/smart-configuration} by {@link FhirEndpoint}, beside the FHIR server.
 */
final class SmartConfiguration {

    private SmartConfiguration() {}

    static Map<String, Object> describe(String issuer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer);
        body.put("jwks_uri", issuer + "/oauth2/jwks");
        body.put("token_endpoint", issuer + "/oauth2/token");
        body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        body.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        body.put("grant_types_supported", List.of("client_credentials"));
        body.put("scopes_supported", SmartScope.ALL);
        body.put("capabilities", List.of("client-confidential-asymmetric"));
        return body;
    }
}
