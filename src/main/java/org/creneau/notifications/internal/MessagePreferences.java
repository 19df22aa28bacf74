package org.creneau.notifications.internal;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each patient account's choice of SMS about its appointments (their confirmation, a change or a
 * cancellation by the practice): off unless the patient turned it on. Reminders by SMS are not
 * governed here (the organization's choice and the patient's reminders switch are).
 */
@Component
class MessagePreferences {

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;

    MessagePreferences(JdbcClient jdbc, TenantScope scope, Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
    }

    boolean sms(UUID accountId) {
        return !withSms(Set.of(accountId)).isEmpty();
    }

    /** The accounts, among those given, that turned SMS on. */
    Set<UUID> withSms(Collection<UUID> accountIds) {
        if (accountIds.isEmpty()) {
            return Set.of();
        }
        return scope.read(
                Caller.ANONYMOUS,
                () -> new HashSet<>(
                        jdbc.sql("SELECT account_id FROM message_preference WHERE sms AND account_id = ANY (:ids)")
                                .param("ids", accountIds.stream().distinct().toArray(UUID[]::new))
                                .query(UUID.class)
                                .list()));
    }

    void setSms(UUID accountId, boolean wanted) {
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                INSERT INTO message_preference (account_id, sms, updated_at) VALUES (:id, :sms, :now)
                                ON CONFLICT (account_id) DO UPDATE SET sms = :sms, updated_at = :now
                                """)
                        .param("id", accountId)
                        .param("sms", wanted)
                        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .update());
    }
}
