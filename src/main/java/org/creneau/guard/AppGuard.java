package org.creneau.guard;

import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Supplier;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.internal.CanaryRecords;
import org.creneau.guard.internal.Containment;
import org.creneau.guard.internal.GuardSettings;
import org.creneau.journal.AccessRecord;
import org.creneau.journal.Journal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Watches what each connected app is shown, grant by grant, and contains it when a signal of bulk
 * reading fires: the request that tripped it is refused ({@link AccessContained}) and its grant is
 * suspended before the answer leaves. Quotas refuse with {@link QuotaExceeded} without containing.
 * Everything is counted in PostgreSQL (identifiers only), so every node sees the same counts.
 */
@Service
public class AppGuard {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration BASELINE = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final GuardSettings settings;
    private final Containment containment;
    private final CanaryRecords canaries;

    AppGuard(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            GuardSettings settings,
            Containment containment,
            CanaryRecords canaries) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.settings = settings;
        this.containment = containment;
        this.canaries = canaries;
    }

    /** Before a request is served: a grant limited to some hours is contained outside them. */
    public void admit(AppCall call) {
        if (call.limits().outsideHours(clock.instant())) {
            throw contain(call, Signal.OFF_HOURS, "request outside the hours the grant allows");
        }
    }

    /**
     * The app is about to be shown these records (the patients an appointment names count as shown),
     * in answer to a request that named {@code named} by its id (a read; null for a search) or
     * searched the window {@code searchedFrom}..{@code searchedTo} (null otherwise). A named record
     * never shown to the grant before (in a search, as a reference, as its own booking, in a
     * notification) is an unseen read. A signal contains the app, a quota refuses the answer.
     */
    public void observe(
            AppCall call,
            Collection<UUID> appointmentIds,
            Collection<UUID> patientIds,
            UUID named,
            Instant searchedFrom,
            Instant searchedTo) {
        observe(call, appointmentIds, patientIds, named, searchedFrom, searchedTo, null);
    }

    /**
     * {@link #observe(AppCall, Collection, Collection, UUID, Instant, Instant)}, and the answer's journal
     * entry appended by the same statement when nothing stops the answer: one round trip and one commit
     * for both. Returns whether {@code entry} was appended; when not (nothing to observe, no entry, or a
     * threshold reached that did not stop the answer after all), the caller appends it itself.
     */
    public boolean observe(
            AppCall call,
            Collection<UUID> appointmentIds,
            Collection<UUID> patientIds,
            UUID named,
            Instant searchedFrom,
            Instant searchedTo,
            Journal.Pending entry) {
        boolean searched = searchedFrom != null && searchedTo != null;
        if (appointmentIds.isEmpty() && patientIds.isEmpty() && !searched) {
            return false;
        }
        Instant now = clock.instant();
        GrantLimits limits = call.limits();
        int floor = orDefault(limits.newPatientsPer10Minutes(), settings.newPatientsPer10Minutes());
        AccessRecord r = entry == null ? null : entry.record();
        Supplier<Observed> observing = () -> jdbc.sql("""
                        SELECT * FROM guard_observe_and_journal(
                            :org, :grant, :now, :appointments, :patients, :named, :from, :to,
                            :unseen, :windows, :searches, :floor, :factor,
                            :patientsHour, :patientsDay, :appointmentsHour, :appointmentsDay,
                            :at, :kind, :actor, :role, :entryGrant, :entryOrg, :route, :purpose, :type, :ids,
                            :fields, :outcome, :body)
                        """)
                .param("org", call.organizationId())
                .param("grant", call.grantId())
                .param("now", utc(now))
                .param("appointments", appointmentIds.toArray(UUID[]::new))
                .param("patients", patientIds.toArray(UUID[]::new))
                .param("named", named, Types.OTHER)
                .param("from", searched ? utc(searchedFrom) : null, Types.TIMESTAMP_WITH_TIMEZONE)
                .param("to", searched ? utc(searchedTo) : null, Types.TIMESTAMP_WITH_TIMEZONE)
                .param("unseen", settings.unseenReadsPerHour())
                .param("windows", settings.searchWindowsPerHour())
                .param("searches", settings.searchesPer10Minutes())
                .param("floor", floor)
                .param("factor", settings.baselineFactor())
                .param("patientsHour", orDefault(limits.patientsPerHour(), settings.patientsPerHour()))
                .param("patientsDay", orDefault(limits.patientsPerDay(), settings.patientsPerDay()))
                .param("appointmentsHour", orDefault(limits.appointmentsPerHour(), settings.appointmentsPerHour()))
                .param("appointmentsDay", orDefault(limits.appointmentsPerDay(), settings.appointmentsPerDay()))
                .param("at", r == null ? null : utc(entry.recordedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("kind", r == null ? null : r.actorKind().name(), Types.VARCHAR)
                .param("actor", r == null ? null : r.actorId(), Types.OTHER)
                .param("role", r == null ? null : r.actorRole(), Types.VARCHAR)
                .param("entryGrant", r == null ? null : r.grantId(), Types.OTHER)
                .param("entryOrg", r == null ? null : r.organizationId(), Types.OTHER)
                .param("route", r == null ? null : r.route(), Types.VARCHAR)
                .param("purpose", r == null ? null : r.purpose(), Types.VARCHAR)
                .param("type", r == null ? null : r.resourceType(), Types.VARCHAR)
                .param("ids", r == null ? null : r.resourceIds().toArray(UUID[]::new), Types.ARRAY)
                .param("fields", r == null ? null : r.fields().toArray(String[]::new), Types.ARRAY)
                .param("outcome", r == null ? null : r.outcome(), Types.VARCHAR)
                .param("body", r == null ? null : entry.body(), Types.VARCHAR)
                .query((rs, i) -> new Observed(
                        rs.getBoolean("canary"),
                        new Counts(
                                rs.getLong("new_patients"),
                                rs.getLong("patients_hour"),
                                rs.getLong("patients_day"),
                                rs.getLong("appointments_hour"),
                                rs.getLong("appointments_day"),
                                rs.getLong("unseen_hour"),
                                rs.getLong("searches"),
                                rs.getLong("windows")),
                        rs.getObject("baseline", Double.class),
                        rs.getBoolean("journaled")))
                .single();
        Observed observed;
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // The function acts for the grant's organization until its transaction ends: never inside
            // another caller's transaction.
            Object[] result = new Object[1];
            scope.writeSeparately(new Caller.System(call.organizationId()), () -> result[0] = observing.get());
            observed = (Observed) result[0];
        } else {
            // One statement, committed on its own: the observation and the entry in one round trip.
            observed = observing.get();
        }
        if (observed.canary()) {
            throw contain(call, Signal.CANARY, "a decoy record was read");
        }
        Counts counts = observed.counts();
        if (counts.unseenLastHour() >= settings.unseenReadsPerHour()) {
            throw contain(
                    call, Signal.UNSEEN_RECORDS, counts.unseenLastHour() + " reads of records never shown in an hour");
        }
        if (counts.windowsLastHour() >= settings.searchWindowsPerHour()) {
            throw contain(call, Signal.SWEEP, counts.windowsLastHour() + " different date windows searched in an hour");
        }
        if (counts.searches10Minutes() >= settings.searchesPer10Minutes()) {
            throw contain(call, Signal.SWEEP, counts.searches10Minutes() + " searches in 10 minutes");
        }
        if (counts.newPatients10Minutes() >= floor) {
            double pace = observed.baseline() != null ? observed.baseline() : baseline(call, now);
            long threshold = Math.max(floor, Math.round(pace * settings.baselineFactor()));
            if (counts.newPatients10Minutes() >= threshold) {
                throw contain(
                        call,
                        Signal.VELOCITY,
                        counts.newPatients10Minutes() + " new patients in 10 minutes (threshold " + threshold + ")");
            }
        }
        quota(
                "patients per hour",
                counts.patientsHour(),
                orDefault(limits.patientsPerHour(), settings.patientsPerHour()),
                call,
                "P",
                HOUR,
                now);
        quota(
                "patients per day",
                counts.patientsDay(),
                orDefault(limits.patientsPerDay(), settings.patientsPerDay()),
                call,
                "P",
                DAY,
                now);
        quota(
                "appointments per hour",
                counts.appointmentsHour(),
                orDefault(limits.appointmentsPerHour(), settings.appointmentsPerHour()),
                call,
                "A",
                HOUR,
                now);
        quota(
                "appointments per day",
                counts.appointmentsDay(),
                orDefault(limits.appointmentsPerDay(), settings.appointmentsPerDay()),
                call,
                "A",
                DAY,
                now);
        return observed.journaled();
    }

    /** What the observing statement found, and whether it appended the entry. */
    private record Observed(boolean canary, Counts counts, Double baseline, boolean journaled) {}

    /** Records the app created or was notified of: reading them later by id is expected. */
    public void introduced(AppCall call, Collection<UUID> appointmentIds, Collection<UUID> patientIds) {
        Instant now = clock.instant();
        scope.write(
                new Caller.System(call.organizationId()), () -> remember(call, appointmentIds, patientIds, now, null));
    }

    /**
     * An admin resumed the grant after looking into an alert: the refusals, unseen reads and search
     * windows counted so far no longer count against it, and the next signal contains it again.
     */
    public void forgive(UUID organizationId, UUID grantId) {
        scope.write(new Caller.System(organizationId), () -> {
            jdbc.sql("DELETE FROM guard_mark WHERE organization_id = :org AND grant_id = :grant")
                    .param("org", organizationId)
                    .param("grant", grantId)
                    .update();
            containment.release(organizationId, grantId);
        });
    }

    /** The app was answered 404 or 403: many of them mean identifiers are being tried. */
    public void refused(AppCall call) {
        Instant now = clock.instant();
        long refusals = scope.write(new Caller.System(call.organizationId()), () -> {
            mark(call, "REFUSED", now, null, null);
            return marks(call, "REFUSED", now.minus(TEN_MINUTES));
        });
        if (refusals >= settings.refusalsPer10Minutes()) {
            throw contain(call, Signal.ENUMERATION, refusals + " refused or missing records in 10 minutes");
        }
    }

    private AccessContained contain(AppCall call, Signal signal, String detail) {
        containment.contain(call.appId(), call.grantId(), call.organizationId(), signal, detail);
        return new AccessContained(signal);
    }

    private void quota(String name, long used, int limit, AppCall call, String kind, Duration window, Instant now) {
        if (used <= limit) {
            return;
        }
        OffsetDateTime oldest = scope.read(
                new Caller.System(call.organizationId()),
                () -> jdbc.sql("""
                                SELECT min(last_at) FROM guard_seen
                                 WHERE organization_id = :org AND grant_id = :grant AND kind = :kind AND last_at >= :since
                                """)
                        .param("org", call.organizationId())
                        .param("grant", call.grantId())
                        .param("kind", kind)
                        .param("since", utc(now.minus(window)))
                        .query(OffsetDateTime.class)
                        .single());
        Duration wait = oldest == null
                ? Duration.ofMinutes(1)
                : Duration.between(now, oldest.toInstant().plus(window));
        throw new QuotaExceeded(name, wait.isNegative() ? Duration.ofSeconds(1) : wait);
    }

    /** Every record shown is introduced to the grant from now on, except the one read without introduction. */
    private void remember(
            AppCall call, Collection<UUID> appointmentIds, Collection<UUID> patientIds, Instant now, UUID named) {
        if (appointmentIds.isEmpty() && patientIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO guard_seen (organization_id, grant_id, kind, record_id, first_at, last_at, introduced)
                        SELECT DISTINCT :org, :grant, shown.kind, shown.id, :now, :now, shown.id IS DISTINCT FROM :named
                          FROM (SELECT 'A' AS kind, id FROM unnest(CAST(:appointments AS uuid[])) AS id
                                UNION ALL
                                SELECT 'P', id FROM unnest(CAST(:patients AS uuid[])) AS id) shown
                        ON CONFLICT (organization_id, grant_id, kind, record_id)
                        DO UPDATE SET last_at = EXCLUDED.last_at, introduced = guard_seen.introduced OR EXCLUDED.introduced
                        """)
                .param("org", call.organizationId())
                .param("grant", call.grantId())
                .param("appointments", appointmentIds.toArray(UUID[]::new))
                .param("patients", patientIds.toArray(UUID[]::new))
                .param("now", utc(now))
                .param("named", named, java.sql.Types.OTHER)
                .update();
    }

    private void mark(AppCall call, String kind, Instant now, Instant from, Instant to) {
        jdbc.sql("""
                        INSERT INTO guard_mark (organization_id, grant_id, kind, at, window_from, window_to)
                        VALUES (:org, :grant, :kind, :now, :from, :to)
                        """)
                .param("org", call.organizationId())
                .param("grant", call.grantId())
                .param("kind", kind)
                .param("now", utc(now))
                .param("from", from == null ? null : utc(from), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("to", to == null ? null : utc(to), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .update();
    }

    private long marks(AppCall call, String kind, Instant since) {
        return jdbc.sql("""
                        SELECT count(*) FROM guard_mark
                         WHERE organization_id = :org AND grant_id = :grant AND kind = :kind AND at >= :since
                        """)
                .param("org", call.organizationId())
                .param("grant", call.grantId())
                .param("kind", kind)
                .param("since", utc(since))
                .query(Long.class)
                .single();
    }

    private record Counts(
            long newPatients10Minutes,
            long patientsHour,
            long patientsDay,
            long appointmentsHour,
            long appointmentsDay,
            long unseenLastHour,
            long searches10Minutes,
            long windowsLastHour) {}

    /** The grant's own pace: new patients per active 10-minute period over the last 7 days, on average. */
    private double baseline(AppCall call, Instant now) {
        return scope.read(
                new Caller.System(call.organizationId()),
                () -> jdbc.sql("""
                                SELECT coalesce(avg(n), 0) FROM (
                                    SELECT count(*) AS n FROM guard_seen
                                     WHERE organization_id = :org AND grant_id = :grant AND kind = 'P'
                                       AND first_at >= :from AND first_at < :to
                                     GROUP BY date_bin('10 minutes', first_at, TIMESTAMPTZ '2000-01-01 00:00Z')) periods
                                """)
                        .param("org", call.organizationId())
                        .param("grant", call.grantId())
                        .param("from", utc(now.minus(BASELINE)))
                        .param("to", utc(now.minus(TEN_MINUTES)))
                        .query(Double.class)
                        .single());
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
