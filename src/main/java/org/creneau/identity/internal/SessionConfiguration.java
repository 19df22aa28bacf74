package org.creneau.identity.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.PostgreSqlJdbcIndexedSessionRepositoryCustomizer;

/** Sessions in PostgreSQL (tables from the V7 migration); the idle timeout is spring.session.timeout. */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

    /** Writes attributes with INSERT ... ON CONFLICT: two parallel requests of one session cannot collide. */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> postgresSessionQueries() {
        return new PostgreSqlJdbcIndexedSessionRepositoryCustomizer();
    }
}
