package org.creneau.identity.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Deny by default: public routes are listed, the rest of the API and the admin pages need a
 * session, and anything unlisted is refused. State-changing calls need the CSRF header echoing the
 * {@code XSRF-TOKEN} cookie. A signed-in session ends {@code creneau.session.absolute-timeout} after
 * sign-in, however active, and follows its account's rights at every request ({@link SessionRights}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginSettings.class)
class SecurityConfiguration {

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    SecurityFilterChain api(
            HttpSecurity http,
            SecurityContextRepository contexts,
            ProblemResponses problems,
            Clock clock,
            JdbcClient jdbc,
            SessionSignIn sessions,
            @Value("${creneau.session.absolute-timeout:PT12H}") Duration absoluteTimeout)
            throws Exception {
        http.securityContext(c -> c.securityContextRepository(contexts))
                .csrf(csrf -> csrf.spa())
                .addFilterAfter(new SessionLifetime(clock, absoluteTimeout), SecurityContextHolderFilter.class)
                .addFilterAfter(new SessionRights(jdbc, sessions), SessionLifetime.class)
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'")))
                .authorizeHttpRequests(auth -> auth.requestMatchers(
                                HttpMethod.GET,
                                "/api/v1/specialties",
                                "/api/v1/search",
                                "/api/v1/practitioners/**",
                                "/api/v1/auth/csrf")
                        .permitAll()
                        // The steps of a login; each checks the session's pending state itself.
                        .requestMatchers(
                                HttpMethod.POST,
                                "/api/v1/accounts",
                                "/api/v1/auth/login",
                                "/api/v1/auth/login/second-factor",
                                "/api/v1/auth/mfa/enrolment",
                                "/api/v1/auth/mfa/enrolment/confirm",
                                // Mailed links: each checks its token itself.
                                "/api/v1/auth/password-reset",
                                "/api/v1/auth/password-reset/confirm",
                                "/api/v1/auth/email-verification/confirm")
                        .permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(
                                HttpMethod.GET,
                                "/",
                                "/recherche",
                                "/recherche/specialites",
                                "/praticiens/*",
                                "/css/**",
                                "/js/**",
                                "/webjars/**")
                        .permitAll()
                        // The patients' pages: each handler checks that a patient is signed in, and
                        // sends anyone else to sign in (the booking flow keeps the chosen slot meanwhile).
                        .requestMatchers(
                                "/reservation",
                                "/reservation/*",
                                "/se-connecter",
                                "/se-connecter/code",
                                "/creer-un-compte",
                                "/se-deconnecter",
                                "/mes-rendez-vous",
                                "/mes-rendez-vous/*",
                                "/mes-rendez-vous/*/*",
                                "/mon-compte",
                                "/mon-compte/**",
                                "/mes-acces",
                                "/liste-d-attente",
                                "/mot-de-passe-oublie",
                                "/mot-de-passe-oublie/*",
                                "/verifier-email/*")
                        .permitAll()
                        .requestMatchers("/error", "/favicon.ico")
                        .permitAll()
                        // The sign-in pages; like the API's login steps, each checks the session itself.
                        .requestMatchers("/connexion", "/connexion/**", "/deconnexion")
                        .permitAll()
                        .requestMatchers("/api/**", "/admin", "/admin/**", "/cabinet", "/cabinet/**")
                        .authenticated()
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    /** Writes the CSRF cookie on every response, so a client has it before its first change. */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
