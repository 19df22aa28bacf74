package org.creneau.guard;

import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.internal.Containment;
import org.creneau.guard.internal.GrantRateLimit;
import org.creneau.guard.internal.GuardSettings;
import org.creneau.journal.AccessRecord;
import org.creneau.journal.Journal;
import org.creneau.patients.OrgPatients;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Watches what each connected app is shown, grant by grant and across all its grants, and contains it
 * when a signal of bulk reading fires: the request that tripped it is refused ({@link AccessContained})
 * and its grant is suspended before the answer leaves. Quotas refuse with {@link QuotaExceeded} and
 * alert the practice and the platform at once without containing; an app that keeps meeting them is
 * contained. Everything is counted in PostgreSQL (identifiers only), so every node sees the same counts.
 */
@Service
public class AppGuard {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final GuardSettings settings;
    private final Containment containment;
    private final GrantRateLimit rateLimit;
    private final OrgPatients patients;

    AppGuard(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            GuardSettings settings,
            Containment containment,
            GrantRateLimit rateLimit,
            OrgPatients patients) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.settings = settings;
        this.containment = containment;
        this.rateLimit = rateLimit;
        this.patients = patients;
    }

    /**
     * Before a request is served: a grant limited to some hours is contained outside them; a grant over
     * its own rate limit is refused (429), which counts like a quota reached.
     */
    public void admit(AppCall call) {
        if (call.limits().outsideHours(clock.instant())) {
            throw contain(call, Signal.OFF_HOURS, "request outside the hours the grant allows");
        }
        int perMinute = orDefault(call.limits().requestsPerMinute(), settings.requestsPerMinutePerGrant());
        if (perMinute >= settings.requestsPerMinutePerApp()) {
            return; // the app's own bucket, taken for every request, already holds it to that
        }
        Duration wait = rateLimit.take(call.grantId(), perMinute);
        if (!wait.isZero()) {
            throw throttled(call, Signal.QUOTA, "requests per minute (" + perMinute + ")", wait);
        }
    }

    /**
     * Refuses a grant's limits above the platform's ceilings ({@code creneau.guard.ceiling.*}), naming the
     * first field at fault.
     */
    public void requireWithinCeilings(GrantLimits limits) {
        GuardSettings.Ceiling c = settings.ceiling();
        Map<String, Integer> ceilings = Map.ofEntries(
                Map.entry("newPatientsPer10Minutes", c.newPatientsPer10Minutes()),
                Map.entry("patientsPerHour", c.patientsPerHour()),
                Map.entry("patientsPerDay", c.patientsPerDay()),
                Map.entry("appointmentsPerHour", c.appointmentsPerHour()),
                Map.entry("appointmentsPerDay", c.appointmentsPerDay()),
                Map.entry("requestsPerMinute", c.requestsPerMinute()),
                Map.entry("searchesPer10Minutes", c.searchesPer10Minutes()),
                Map.entry("searchWindowsPerHour", c.searchWindowsPerHour()),
                Map.entry("unseenReadsPerHour", c.unseenReadsPerHour()),
                Map.entry("refusalsPer10Minutes", c.refusalsPer10Minutes()),
                Map.entry("distantPastPerDay", c.distantPastPerDay()),
                Map.entry("patientSharePercent", c.patientSharePercent()));
        limits.thresholds().forEach((field, value) -> {
            if (value != null && value > ceilings.get(field)) {
                throw new LimitAboveCeiling(field, ceilings.get(field));
            }
        });
    }

    /** Appointments that started before this instant lie in the distant past: a sync reads around today. */
    public Instant distantPast() {
        return clock.instant().minus(Duration.ofDays(settings.distantPastDays()));
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
        observe(call, appointmentIds, patientIds, List.of(), named, searchedFrom, searchedTo, null);
    }

    /**
     * {@link #observe(AppCall, Collection, Collection, UUID, Instant, Instant)}, with the appointments
     * among them that lie in the distant past ({@link #distantPast()}), and the answer's journal entry
     * appended by the same statement when nothing stops the answer: one round trip and one commit for
     * both. Returns whether {@code entry} was appended; when not (nothing to observe, no entry, or a
     * threshold reached that did not stop the answer after all), the caller appends it itself.
     */
    public boolean observe(
            AppCall call,
            Collection<UUID> appointmentIds,
            Collection<UUID> patientIds,
            Collection<UUID> distantAppointmentIds,
            UUID named,
            Instant searchedFrom,
            Instant searchedTo,
            Journal.Pending entry) {
        boolean searched = searchedFrom != null && searchedTo != null;
        if (appointmentIds.isEmpty() && patientIds.isEmpty() && !searched) {
            return false;
        }
        Instant now = clock.instant();
        Thresholds t = thresholds(call);
        AccessRecord r = entry == null ? null : entry.record();
        Supplier<Observed> observing = () -> jdbc.sql("""
                        SELECT * FROM guard_observe_and_journal(
                            :org, :grant, :app, :now, :appointments, :patients, :distant, :named, :from, :to,
                            :unseen, :windows, :searches, :floor, :factor, :baselineDays,
                            :patientsHour, :patientsDay, :appointmentsHour, :appointmentsDay, :distantDay, :shareMinimum,
                            :appNew, :appPatientsHour, :appPatientsDay, :appAppointmentsHour, :appAppointmentsDay,
                            :at, :kind, :actor, :role, :entryGrant, :entryOrg, :route, :purpose, :type, :ids,
                            :fields, :outcome, :body)
                        """)
                .param("org", call.organizationId())
                .param("grant", call.grantId())
                .param("app", call.appId())
                .param("now", utc(now))
                .param("appointments", appointmentIds.toArray(UUID[]::new))
                .param("patients", patientIds.toArray(UUID[]::new))
                .param("distant", distantAppointmentIds.toArray(UUID[]::new))
                .param("named", named, Types.OTHER)
                .param("from", searched ? utc(searchedFrom) : null, Types.TIMESTAMP_WITH_TIMEZONE)
                .param("to", searched ? utc(searchedTo) : null, Types.TIMESTAMP_WITH_TIMEZONE)
                .param("unseen", t.unseenReadsPerHour())
                .param("windows", t.searchWindowsPerHour())
                .param("searches", t.searchesPer10Minutes())
                .param("floor", t.newPatientsFloor())
                .param("factor", settings.baselineFactor())
                .param("baselineDays", settings.baselineDays())
                .param("patientsHour", t.patientsPerHour())
                .param("patientsDay", t.patientsPerDay())
                .param("appointmentsHour", t.appointmentsPerHour())
                .param("appointmentsDay", t.appointmentsPerDay())
                .param("distantDay", t.distantPastPerDay())
                .param("shareMinimum", settings.patientShareMinimum())
                .param("appNew", t.appNewPatients())
                .param("appPatientsHour", t.appPatientsPerHour())
                .param("appPatientsDay", t.appPatientsPerDay())
                .param("appAppointmentsHour", t.appAppointmentsPerHour())
                .param("appAppointmentsDay", t.appAppointmentsPerDay())
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
                                rs.getLong("windows"),
                                rs.getLong("distant_day"),
                                rs.getLong("app_new_patients"),
                                rs.getLong("app_patients_hour"),
                                rs.getLong("app_patients_day"),
                                rs.getLong("app_appointments_hour"),
                                rs.getLong("app_appointments_day")),
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
        if (counts.unseenLastHour() >= t.unseenReadsPerHour()) {
            throw contain(
                    call, Signal.UNSEEN_RECORDS, counts.unseenLastHour() + " reads of records never shown in an hour");
        }
        if (counts.windowsLastHour() >= t.searchWindowsPerHour()) {
            throw contain(call, Signal.SWEEP, counts.windowsLastHour() + " different date windows searched in an hour");
        }
        if (counts.searches10Minutes() >= t.searchesPer10Minutes()) {
            throw contain(call, Signal.SWEEP, counts.searches10Minutes() + " searches in 10 minutes");
        }
        if (counts.newPatients10Minutes() >= t.newPatientsFloor()) {
            // No baseline until the grant has read on several days before the last one: it cannot train it.
            double pace = observed.baseline() == null ? 0 : observed.baseline();
            long threshold = Math.max(t.newPatientsFloor(), Math.round(pace * settings.baselineFactor()));
            if (counts.newPatients10Minutes() >= threshold) {
                throw contain(
                        call,
                        Signal.VELOCITY,
                        counts.newPatients10Minutes() + " new patients in 10 minutes (threshold " + threshold + ")");
            }
        }
        if (counts.appNewPatients10Minutes() >= t.appNewPatients()) {
            throw contain(
                    call,
                    Signal.APP_VELOCITY,
                    counts.appNewPatients10Minutes() + " new patients in 10 minutes across the app's grants (threshold "
                            + t.appNewPatients() + ")");
        }
        if (counts.distantDay() >= t.distantPastPerDay()) {
            throw contain(
                    call,
                    Signal.DISTANT_PAST,
                    counts.distantDay() + " appointments older than " + settings.distantPastDays()
                            + " days shown in a day");
        }
        if (counts.patientsDay() >= settings.patientShareMinimum()) {
            long file = scope.read(new Caller.System(call.organizationId()), patients::fileSize);
            if (counts.patientsDay() * 100 > (long) t.patientSharePercent() * file) {
                throw contain(
                        call,
                        Signal.PATIENT_SHARE,
                        counts.patientsDay() + " patients of a file of " + file + " shown in a day (threshold "
                                + t.patientSharePercent() + "%)");
            }
        }
        quota(call, Signal.QUOTA, "patients per hour", counts.patientsHour(), t.patientsPerHour(), "P", HOUR, now);
        quota(call, Signal.QUOTA, "patients per day", counts.patientsDay(), t.patientsPerDay(), "P", DAY, now);
        quota(
                call,
                Signal.QUOTA,
                "appointments per hour",
                counts.appointmentsHour(),
                t.appointmentsPerHour(),
                "A",
                HOUR,
                now);
        quota(
                call,
                Signal.QUOTA,
                "appointments per day",
                counts.appointmentsDay(),
                t.appointmentsPerDay(),
                "A",
                DAY,
                now);
        quota(
                call,
                Signal.APP_QUOTA,
                "patients per hour across the app's grants",
                counts.appPatientsHour(),
                t.appPatientsPerHour(),
                "P",
                HOUR,
                now);
        quota(
                call,
                Signal.APP_QUOTA,
                "patients per day across the app's grants",
                counts.appPatientsDay(),
                t.appPatientsPerDay(),
                "P",
                DAY,
                now);
        quota(
                call,
                Signal.APP_QUOTA,
                "appointments per hour across the app's grants",
                counts.appAppointmentsHour(),
                t.appAppointmentsPerHour(),
                "A",
                HOUR,
                now);
        quota(
                call,
                Signal.APP_QUOTA,
                "appointments per day across the app's grants",
                counts.appAppointmentsDay(),
                t.appAppointmentsPerDay(),
                "A",
                DAY,
                now);
        return observed.journaled();
    }

    /**
     * Every threshold in force for this call: the grant's own (its admin's approved expectation) or the
     * platform's default; the app's are the platform's per-app default, raised to the sum of what the
     * practices approved on its grants (a value left at the default approves nothing).
     */
    private Thresholds thresholds(AppCall call) {
        GrantLimits l = call.limits();
        return new Thresholds(
                orDefault(l.newPatientsPer10Minutes(), settings.newPatientsPer10Minutes()),
                orDefault(l.patientsPerHour(), settings.patientsPerHour()),
                orDefault(l.patientsPerDay(), settings.patientsPerDay()),
                orDefault(l.appointmentsPerHour(), settings.appointmentsPerHour()),
                orDefault(l.appointmentsPerDay(), settings.appointmentsPerDay()),
                orDefault(l.searchesPer10Minutes(), settings.searchesPer10Minutes()),
                orDefault(l.searchWindowsPerHour(), settings.searchWindowsPerHour()),
                orDefault(l.unseenReadsPerHour(), settings.unseenReadsPerHour()),
                orDefault(l.distantPastPerDay(), settings.distantPastPerDay()),
                orDefault(l.patientSharePercent(), settings.patientSharePercent()),
                approved(call, GrantLimits::newPatientsPer10Minutes, settings.appNewPatientsPer10Minutes()),
                approved(call, GrantLimits::patientsPerHour, settings.appPatientsPerHour()),
                approved(call, GrantLimits::patientsPerDay, settings.appPatientsPerDay()),
                approved(call, GrantLimits::appointmentsPerHour, settings.appAppointmentsPerHour()),
                approved(call, GrantLimits::appointmentsPerDay, settings.appAppointmentsPerDay()));
    }

    private static int approved(AppCall call, Function<GrantLimits, Integer> field, int appDefault) {
        long sum = call.appGrants().stream()
                .map(field)
                .filter(Objects::nonNull)
                .mapToLong(Integer::longValue)
                .sum();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(appDefault, sum));
    }

    private record Thresholds(
            int newPatientsFloor,
            int patientsPerHour,
            int patientsPerDay,
            int appointmentsPerHour,
            int appointmentsPerDay,
            int searchesPer10Minutes,
            int searchWindowsPerHour,
            int unseenReadsPerHour,
            int distantPastPerDay,
            int patientSharePercent,
            int appNewPatients,
            int appPatientsPerHour,
            int appPatientsPerDay,
            int appAppointmentsPerHour,
            int appAppointmentsPerDay) {}

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
        if (refusals >= orDefault(call.limits().refusalsPer10Minutes(), settings.refusalsPer10Minutes())) {
            throw contain(call, Signal.ENUMERATION, refusals + " refused or missing records in 10 minutes");
        }
    }

    private AccessContained contain(AppCall call, Signal signal, String detail) {
        containment.contain(call.appId(), call.grantId(), call.organizationId(), signal, detail);
        return new AccessContained(signal);
    }

    private void quota(
            AppCall call, Signal signal, String name, long used, int limit, String kind, Duration window, Instant now) {
        if (used <= limit) {
            return;
        }
        // The app's quotas are judged on what it was shown across organizations; the wait is this grant's.
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
        throw throttled(call, signal, name + " (" + limit + ")", wait.isNegative() ? Duration.ofSeconds(1) : wait);
    }

    /**
     * A quota or the grant's rate limit refuses the request: the organization's admins and the platform
     * are alerted at once (once a day per grant and signal), and an app that keeps meeting refusals
     * instead of slowing down ({@code throttledPerDay} in a day) is contained.
     */
    private RuntimeException throttled(AppCall call, Signal signal, String what, Duration wait) {
        Instant now = clock.instant();
        long throttled = scope.write(new Caller.System(call.organizationId()), () -> {
            mark(call, "THROTTLED", now, null, null);
            return marks(call, "THROTTLED", now.minus(DAY));
        });
        int containAt = settings.throttledPerDay();
        if (throttled >= containAt) {
            return contain(call, signal, throttled + " refusals by a quota or rate limit in a day, the last: " + what);
        }
        containment.alert(call.appId(), call.grantId(), call.organizationId(), signal, "reached: " + what);
        return new QuotaExceeded(what, wait);
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
            long windowsLastHour,
            long distantDay,
            long appNewPatients10Minutes,
            long appPatientsHour,
            long appPatientsDay,
            long appAppointmentsHour,
            long appAppointmentsDay) {}

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
