package org.creneau.guard.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.guard.StaffAccessSuspended;
import org.creneau.guard.StaffQuotaReached;
import org.creneau.guard.StaffSignal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Watches each staff account as {@code AppGuard} watches each app: the distinct patients it is shown per
 * hour and per day, the short name prefixes it searches, the agenda days far from today it reads. Counts
 * live in PostgreSQL ({@code guard_account_seen}, identifiers, days and hashed prefixes only), so every
 * node sees the same. A signal contains the account ({@link StaffContainment}) and refuses the request
 * that tripped it; the daily quota withholds the answer without containing.
 */
@Component
class StaffGuard {

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final StaffGuardSettings settings;
    private final StaffContainment containment;

    StaffGuard(
            TenantScope scope,
            JdbcClient jdbc,
            Clock clock,
            StaffGuardSettings settings,
            StaffContainment containment) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.containment = containment;
    }

    /** Refuses every request of a contained account, until an admin lifts the containment. */
    void requireNotContained(Caller.Staff staff) {
        if (containment.isContained(staff.organizationId(), staff.accountId())) {
            throw new StaffAccessSuspended();
        }
    }

    /**
     * An answer is about to show the account these patients (file entries) and appointments starting at
     * these times: counts them, and contains the account or withholds the answer when a limit is reached.
     */
    void shown(Caller.Staff staff, Collection<UUID> patients, Collection<Instant> appointmentStarts) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<String> farDays = appointmentStarts.stream()
                .map(start -> LocalDate.ofInstant(start, ZoneOffset.UTC))
                .filter(day -> day.isBefore(today.minusDays(settings.farPastDays()))
                        || day.isAfter(today.plusDays(settings.farAheadDays())))
                .distinct()
                .map(LocalDate::toString)
                .toList();
        List<String> patientIds =
                patients.stream().distinct().map(UUID::toString).toList();
        if (farDays.isEmpty() && patientIds.isEmpty()) {
            return;
        }
        Counts counts = scope.write(new Caller.System(staff.organizationId()), () -> {
            long before = patientsSince(staff, now.minus(Duration.ofDays(1)));
            mark(staff, 'P', patientIds, now);
            mark(staff, 'D', farDays, now);
            Counts after = counts(staff, now);
            if (after.patientsPerDay() > settings.patientsPerDay() && after.patientsPerDay() > before) {
                // Thrown inside the transaction: what this answer would have shown is not counted.
                throw new StaffQuotaReached();
            }
            return after;
        });
        if (counts.patientsPerHour() >= settings.patientsPerHour()) {
            contain(
                    staff,
                    StaffSignal.STAFF_VELOCITY,
                    counts.patientsPerHour() + " distinct patients shown in an hour (limit "
                            + settings.patientsPerHour() + ")");
        }
        if (counts.farDaysPerHour() >= settings.farDaysPerHour()) {
            contain(
                    staff,
                    StaffSignal.STAFF_FAR_READS,
                    counts.farDaysPerHour() + " agenda days far from today read in an hour (limit "
                            + settings.farDaysPerHour() + ")");
        }
    }

    /** The account searched the file by the start of a name alone. */
    void searched(Caller.Staff staff, String namePrefix) {
        long letters = namePrefix.codePoints().filter(Character::isLetter).count();
        if (letters > settings.shortPrefixLetters()) {
            return;
        }
        Instant now = clock.instant();
        long shortSearches = scope.write(new Caller.System(staff.organizationId()), () -> {
            // The prefix itself is a piece of a name: only its hash is kept, enough to tell prefixes apart.
            jdbc.sql("""
                            INSERT INTO guard_account_seen (organization_id, account_id, kind, item, last_at)
                            VALUES (:org, :account, 'S', encode(sha256(convert_to(:prefix, 'UTF8')), 'hex'), :now)
                            ON CONFLICT (organization_id, account_id, kind, item) DO UPDATE SET last_at = excluded.last_at
                            """)
                    .param("org", staff.organizationId())
                    .param("account", staff.accountId())
                    .param("prefix", namePrefix)
                    .param("now", utc(now))
                    .update();
            return counts(staff, now).shortSearchesPer10Minutes();
        });
        if (shortSearches >= settings.shortSearchesPer10Minutes()) {
            contain(
                    staff,
                    StaffSignal.STAFF_SHORT_SEARCHES,
                    shortSearches + " different short name prefixes searched in 10 minutes (limit "
                            + settings.shortSearchesPer10Minutes() + ")");
        }
    }

    private void contain(Caller.Staff staff, StaffSignal signal, String detail) {
        containment.contain(staff.organizationId(), staff.accountId(), signal, detail);
        throw new StaffAccessSuspended();
    }

    private record Counts(
            long patientsPerHour, long patientsPerDay, long farDaysPerHour, long shortSearchesPer10Minutes) {}

    private void mark(Caller.Staff staff, char kind, List<String> items, Instant now) {
        if (items.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO guard_account_seen (organization_id, account_id, kind, item, last_at)
                        SELECT :org, :account, :kind, item, :now FROM unnest(CAST(:items AS text[])) AS item
                        ON CONFLICT (organization_id, account_id, kind, item) DO UPDATE SET last_at = excluded.last_at
                        """)
                .param("org", staff.organizationId())
                .param("account", staff.accountId())
                .param("kind", String.valueOf(kind))
                .param("items", items.toArray(String[]::new))
                .param("now", utc(now))
                .update();
    }

    private long patientsSince(Caller.Staff staff, Instant since) {
        return jdbc.sql("""
                        SELECT count(*) FROM guard_account_seen
                         WHERE organization_id = :org AND account_id = :account AND kind = 'P' AND last_at > :since
                        """)
                .param("org", staff.organizationId())
                .param("account", staff.accountId())
                .param("since", utc(since))
                .query(Long.class)
                .single();
    }

    private Counts counts(Caller.Staff staff, Instant now) {
        // What is older than a day counts for nothing any more: it goes, so the table stays small.
        jdbc.sql("""
                        DELETE FROM guard_account_seen
                         WHERE organization_id = :org AND account_id = :account AND last_at <= :dayAgo
                        """)
                .param("org", staff.organizationId())
                .param("account", staff.accountId())
                .param("dayAgo", utc(now.minus(Duration.ofDays(1))))
                .update();
        return jdbc.sql("""
                        SELECT count(*) FILTER (WHERE kind = 'P' AND last_at > :hourAgo) AS patients_hour,
                               count(*) FILTER (WHERE kind = 'P') AS patients_day,
                               count(*) FILTER (WHERE kind = 'D' AND last_at > :hourAgo) AS far_days,
                               count(*) FILTER (WHERE kind = 'S' AND last_at > :tenMinutesAgo) AS short_searches
                          FROM guard_account_seen
                         WHERE organization_id = :org AND account_id = :account
                        """)
                .param("org", staff.organizationId())
                .param("account", staff.accountId())
                .param("hourAgo", utc(now.minus(Duration.ofHours(1))))
                .param("tenMinutesAgo", utc(now.minus(Duration.ofMinutes(10))))
                .query((rs, i) -> new Counts(
                        rs.getLong("patients_hour"),
                        rs.getLong("patients_day"),
                        rs.getLong("far_days"),
                        rs.getLong("short_searches")))
                .single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
