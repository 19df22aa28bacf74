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

    /**
     * The update that every request of a signed-in session makes (its last access, and any attribute
     * changed with it, in one transaction) commits without waiting for the disk: a crash may forget
     * the last fraction of a second of them, which at worst asks someone to sign in again. It cost a
     * flush to disk per API request. A session's creation and its end (sign-out, expiry: DELETE) are
     * not touched and stay durable, and since PostgreSQL writes its log in order, any later durable
     * commit flushes the updates before it as well.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> unflushedLastAccess() {
        return sessions -> sessions.setUpdateSessionQuery("""
                WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true))
                UPDATE %TABLE_NAME%
                SET SESSION_ID = ?, LAST_ACCESS_TIME = ?, MAX_INACTIVE_INTERVAL = ?, EXPIRY_TIME = ?, PRINCIPAL_NAME = ?
                WHERE PRIMARY_ID = ? AND EXISTS (SELECT FROM unflushed)
                """);
    }
}
