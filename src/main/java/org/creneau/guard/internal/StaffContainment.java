package org.creneau.guard.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.StaffAccountContained;
import org.creneau.guard.StaffSignal;
import org.creneau.identity.Sessions;
import org.creneau.identity.StaffMembers;
import org.creneau.journal.Journal;
import org.creneau.platform.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Contains a staff account, as {@link Containment} contains an app: freezes the journal up to now,
 * records the alert and the containment together, then ends every session of the account; its next
 * requests are refused until an admin of the organization lifts it. The notifications module emails
 * the organization's admins and the platform's security contact. An account is contained once, however
 * many requests trip a signal at the same moment.
 */
@Component
class StaffContainment {

    private static final Logger log = LoggerFactory.getLogger(StaffContainment.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final Journal journal;
    private final ApplicationEventPublisher events;
    private final Sessions sessions;
    private final StaffMembers members;

    StaffContainment(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            Journal journal,
            ApplicationEventPublisher events,
            Sessions sessions,
            StaffMembers members) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.journal = journal;
        this.events = events;
        this.sessions = sessions;
        this.members = members;
    }

    /** A contained account of the organization, as its admins see it. */
    record Contained(UUID accountId, String email, UUID alertId, Instant containedAt) {}

    /** Contains the account unless it is already, or being contained by another request; says whether this call did. */
    boolean contain(UUID organizationId, UUID accountId, StaffSignal signal, String detail) {
        Instant now = clock.instant();
        UUID alertId = UUID.randomUUID();
        boolean contained = scope.write(new Caller.System(organizationId), () -> {
            if (!firstToContain(organizationId, accountId)) {
                return false;
            }
            long frozenTo = journal.freeze(
                    organizationId, accountId, "guard alert " + alertId + ": " + signal.name() + ", " + detail);
            jdbc.sql("""
                            INSERT INTO guard_account_containment (organization_id, account_id, alert_id, contained_at)
                            VALUES (:org, :account, :alert, :now)
                            """)
                    .param("org", organizationId)
                    .param("account", accountId)
                    .param("alert", alertId)
                    .param("now", utc(now))
                    .update();
            jdbc.sql("""
                            INSERT INTO guard_alert (id, organization_id, account_id, signal, severe, detail, raised_at,
                                                     journal_frozen_to)
                            VALUES (:id, :org, :account, :signal, false, :detail, :now, :frozenTo)
                            """)
                    .param("id", alertId)
                    .param("org", organizationId)
                    .param("account", accountId)
                    .param("signal", signal.name())
                    .param("detail", "staff account " + accountId + ": " + detail)
                    .param("now", utc(now))
                    .param("frozenTo", frozenTo)
                    .update();
            events.publishEvent(new StaffAccountContained(alertId, accountId, organizationId, signal, now));
            return true;
        });
        if (contained) {
            // After the commit: the containment row already refuses a session that is still being read.
            int ended = sessions.endAll(accountId);
            log.warn(
                    "Guard contained staff account {} of organization {}: {} (alert {}); {} session(s) ended",
                    accountId,
                    organizationId,
                    signal,
                    alertId,
                    ended);
        }
        return contained;
    }

    private boolean firstToContain(UUID organizationId, UUID accountId) {
        boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended('staff-containment:' || :a, 0))")
                .param("a", organizationId + ":" + accountId)
                .query(Boolean.class)
                .single();
        return locked && !isContainedHere(organizationId, accountId);
    }

    boolean isContained(UUID organizationId, UUID accountId) {
        return scope.read(new Caller.System(organizationId), () -> isContainedHere(organizationId, accountId));
    }

    private boolean isContainedHere(UUID organizationId, UUID accountId) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM guard_account_containment
                                        WHERE organization_id = :org AND account_id = :account)
                        """)
                .param("org", organizationId)
                .param("account", accountId)
                .query(Boolean.class)
                .single();
    }

    /** The organization's contained accounts, newest first, with their staff email: for its admins. */
    List<Contained> of(Caller.Staff admin) {
        return scope.read(admin, () -> {
            List<Contained> rows = jdbc.sql("""
                            SELECT account_id, alert_id, contained_at FROM guard_account_containment
                             ORDER BY contained_at DESC, account_id LIMIT 500
                            """)
                    .query((rs, i) -> new Contained(
                            rs.getObject("account_id", UUID.class),
                            null,
                            rs.getObject("alert_id", UUID.class),
                            rs.getObject("contained_at", OffsetDateTime.class).toInstant()))
                    .list();
            return rows.stream()
                    .map(c -> new Contained(
                            c.accountId(), members.email(c.accountId()).orElse(null), c.alertId(), c.containedAt()))
                    .toList();
        });
    }

    /**
     * An admin of the organization lifts the containment of one of its accounts, after checking: its
     * counts start again from nothing, so the next signal contains it again. Not contained: not found.
     */
    void lift(Caller.Staff admin, UUID accountId) {
        scope.write(admin, () -> {
            int lifted = jdbc.sql("DELETE FROM guard_account_containment WHERE account_id = :account")
                    .param("account", accountId)
                    .update();
            if (lifted == 0) {
                throw new NotFoundException("contained account");
            }
            jdbc.sql("DELETE FROM guard_account_seen WHERE account_id = :account")
                    .param("account", accountId)
                    .update();
        });
        log.warn(
                "Admin {} lifted the containment of staff account {} in organization {}",
                admin.accountId(),
                accountId,
                admin.organizationId());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
