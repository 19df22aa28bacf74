package org.creneau.fhir.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The HL7 FHIR R4 endpoint at {@code /fhir}: a HAPI plain server, behind bearer tokens from our
 * own token endpoint. Every call is checked against the app's grants as they are now, so a
 * suspended grant stops a token issued before.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class FhirEndpoint {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(
            FhirContext fhir,
            FhirAppointments appointments,
            FhirPatients patients,
            FhirSchedules schedules,
            FhirSlots slots,
            FhirOrganizations organizations,
            FhirLocations locations,
            FhirPractitioners practitioners,
            FhirPractitionerRoles roles,
            FhirHealthcareServices services,
            FhirSubscriptions subscriptions,
            FhirGuard guard,
            @Value("${creneau.version:unknown}") String version) {
        RestfulServer server = new RestfulServer(fhir) {
            @Override
            public void addHeadersToResponse(HttpServletResponse response) {
                // No X-Powered-By: which server and version answer is of use to an attacker only.
            }
        };
        server.setResourceProviders(List.of(
                appointments,
                patients,
                schedules,
                slots,
                organizations,
                locations,
                practitioners,
                roles,
                services,
                subscriptions));
        server.registerInterceptor(guard);
        server.registerInterceptor(new FhirRefusals());
        server.registerInterceptor(new FhirCapabilities(version));
        server.registerInterceptor(new FhirCountParameter());
        server.setDefaultResponseEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * A refused token answers like the rest of /fhir: the {@code WWW-Authenticate} header of RFC 6750
     * (from Spring's bearer entry point) and an OperationOutcome body that a FHIR client can read.
     */
    private static AuthenticationEntryPoint operationOutcomeEntryPoint(FhirContext fhir) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, refusal) -> {
            bearer.commence(request, response, refusal);
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.LOGIN)
                    .setDiagnostics("a valid bearer access token is required (see WWW-Authenticate)");
            response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=UTF-8");
            fhir.newJsonParser().encodeResourceToWriter(outcome, response.getWriter());
        };
    }

    @Bean
    @Order(3)
    SecurityFilterChain fhirApi(
            HttpSecurity http, JWKSource<SecurityContext> accessTokenKeys, Clock clock, FhirContext fhir)
            throws Exception {
        AuthenticationEntryPoint refused = operationOutcomeEntryPoint(fhir);
        NimbusJwtDecoder decoder =
                NimbusJwtDecoder.withJwkSource(accessTokenKeys).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(java.time.Duration.ofSeconds(30));
        timestamps.setClock(clock);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps));
        http.securityMatcher("/fhir/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.requestMatchers("/fhir/metadata")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(refused))
                .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder)).authenticationEntryPoint(refused));
        return http.build();
    }
}
