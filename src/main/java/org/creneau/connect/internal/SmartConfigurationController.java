package org.creneau.connect.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creneau.connect.SmartScope;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** SMART App Launch 2 discovery for backend services: where and how to get a token. */
@RestController
class SmartConfigurationController {

    private final TokenEndpointAddress address;

    SmartConfigurationController(TokenEndpointAddress address) {
        this.address = address;
    }

    @GetMapping(path = "/fhir/.well-known/smart-configuration", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> smartConfiguration(HttpServletRequest request) {
        String issuer = address.issuer(request);
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
