package org.creneau.journal;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.journal.internal.CanonicalForm;
import org.creneau.journal.internal.Checkpoints;
import org.creneau.platform.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Appends access records to the journal. Each record is committed in its own transaction before
 * the caller goes on, so a response that was sent always has its entries, even if the process
 * is killed right after.
 */
@Service
public class Journal {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    /** Appends made by this class (the guard's answers append through its own statement, not timed here). */
    private static final Timer APPEND_TIME = Timer.builder("creneau.journal.append")
            .description("Time to append one entry to the access journal")
            .register(Metrics.globalRegistry);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final Checkpoints checkpoints;

    Journal(JdbcClient jdbc, TenantScope scope, Clock clock, Checkpoints checkpoints) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.checkpoints = checkpoints;
    }

    /**
     * Freezes the journal up to its end for an investigation: a signed checkpoint over every chain's
     * head pins every entry so far (rewriting or cutting one is then detected), and the freeze is
     * recorded so that no retention ever removes them. Returns the number of that checkpoint (0 while
     * the journal is empty), which names the heads it froze. Joins the surrounding transaction, if
     * any, so that a freeze is recorded together with what it was made for (a containment's alert).
     */
    public long freeze(UUID organizationId, UUID actorId, String reason) {
        long checkpoint = checkpoints.checkpointNow();
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                INSERT INTO journal_freeze (id, organization_id, actor_id, up_to_seq, frozen_at, reason)
                                VALUES (:id, :org, :actor, :position, :now, :reason)
                                """)
                        .param("id", UUID.randomUUID())
                        .param("org", organizationId, java.sql.Types.OTHER)
                        .param("actor", actorId, java.sql.Types.OTHER)
                        .param("position", checkpoint)
                        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .param("reason", reason)
                        .update());
        return checkpoint;
    }

    /** Records an access by the caller of a request (a patient, staff, or the platform). */
    public void record(
            Caller caller,
            String route,
            String purpose,
            String resourceType,
            Collection<UUID> resourceIds,
            List<String> fields,
            String outcome) {
        AccessRecord.ActorKind kind = AccessRecord.ActorKind.ACCOUNT;
        UUID actor = null;
        String role = null;
        UUID organization = null;
        if (caller instanceof Caller.Patient p) {
            actor = p.accountId();
            role = "PATIENT";
        } else if (caller instanceof Caller.Staff s) {
            actor = s.accountId();
            role = s.role().name();
            organization = s.organizationId();
        } else if (caller instanceof Caller.AccountOwner o) {
            actor = o.accountId();
            role = "ACCOUNT";
        } else if (caller instanceof Caller.System s) {
            kind = AccessRecord.ActorKind.PLATFORM;
            organization = s.organizationId();
        } else {
            kind = AccessRecord.ActorKind.PLATFORM;
            role = "ANONYMOUS";
        }
        append(new AccessRecord(
                kind,
                actor,
                role,
                null,
                organization,
                route,
                purpose,
                resourceType,
                List.copyOf(resourceIds),
                fields,
                outcome));
    }

    /** The names of the fields a response record carries: what the journal lists, never the values. */
    public static List<String> fieldsOf(Class<? extends Record> view) {
        return java.util.Arrays.stream(view.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName)
                .toList();
    }

    /**
     * An entry made ready for another statement to append through {@code journal_append} (the guard's
     * observation of an answer), so that the append costs no round trip of its own: the record, its
     * time, and the text its hash will cover.
     */
    public record Pending(AccessRecord record, Instant recordedAt, String body) {}

    /** The entry {@link #append} would write now, for a statement that appends it (null: nothing to append). */
    public Pending pending(AccessRecord r) {
        Instant at = CanonicalForm.truncate(clock.instant());
        return new Pending(
                r,
                at,
                CanonicalForm.body(
                        at,
                        r.actorKind().name(),
                        r.actorId(),
                        r.actorRole(),
                        r.grantId(),
                        r.organizationId(),
                        r.route(),
                        r.purpose(),
                        r.resourceType(),
                        r.resourceIds(),
                        r.fields(),
                        r.outcome()));
    }

    /**
     * Appends one record to its organization's chain (one of the platform's, by actor, when it names none) and returns
     * its platform-wide number. Appends to different chains never wait on each other.
     */
    public long append(AccessRecord r) {
        Pending entry = pending(r);
        long[] position = new long[1];
        try {
            APPEND_TIME.record(() -> appendNow(r, entry, position));
        } catch (DataAccessException e) {
            // Deny by default: an access that cannot be journaled is not served. Identifiers only in the log.
            log.error("Journal append failed for {} on {}", r.actorKind(), r.route(), e);
            throw new UnavailableException(
                    "journal-unavailable",
                    "The access could not be recorded in the journal, so nothing was disclosed; try again in a moment.",
                    e);
        }
        return position[0];
    }

    private void appendNow(AccessRecord r, Pending entry, long[] position) {
        scope.writeSeparately(
                Caller.ANONYMOUS,
                () -> position[0] = jdbc.sql("""
                        SELECT journal_append(:at, :kind, :actor, :role, :grant, :org, :route, :purpose, :type,
                                              :ids, :fields, :outcome, :body)
                        """)
                        .param("at", entry.recordedAt().atOffset(ZoneOffset.UTC))
                        .param("kind", r.actorKind().name())
                        .param("actor", r.actorId(), java.sql.Types.OTHER)
                        .param("role", r.actorRole())
                        .param("grant", r.grantId(), java.sql.Types.OTHER)
                        .param("org", r.organizationId(), java.sql.Types.OTHER)
                        .param("route", r.route())
                        .param("purpose", r.purpose())
                        .param("type", r.resourceType())
                        .param("ids", r.resourceIds().toArray(UUID[]::new))
                        .param("fields", r.fields().toArray(String[]::new))
                        .param("outcome", r.outcome())
                        .param("body", entry.body())
                        .query(Long.class)
                        .single());
    }
}
