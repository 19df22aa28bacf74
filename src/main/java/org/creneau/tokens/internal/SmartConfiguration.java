package org.creneau.tokens.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creneau.apps.SmartScope;
import org.creneau.tokens.TokenEndpointAddress;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART App Launch 2 discovery for backend services: where and how to get a token. Served at
 * {@code /fhir/.well-known/smart-configuration}, beside the FHIR server, by a filter of its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SmartConfiguration {

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

    /** SMART discovery sits under /fhir, beside the FHIR server: this filter answers it. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> smartConfigurationFilter(
            TokenEndpointAddress address, tools.jackson.databind.json.JsonMapper json) {
        OncePerRequestFilter serve = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws IOException {
                if (!"GET".equals(request.getMethod())) {
                    response.setHeader("Allow", "GET");
                    response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                    return;
                }
                response.setContentType("application/json");
                json.writeValue(response.getOutputStream(), describe(address.issuer(request)));
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(serve);
        registration.addUrlPatterns("/fhir/.well-known/smart-configuration");
        return registration;
    }
}
