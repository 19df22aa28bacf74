package org.creneau.apps.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.AppGrantChanged;
import org.creneau.apps.ConnectedApp;
import org.creneau.apps.GrantLimitsChanged;
import org.creneau.apps.SmartScope;
import org.creneau.directory.Directory;
import org.creneau.guard.AppGuard;
import org.creneau.guard.ContainmentOrdered;
import org.creneau.guard.GrantLimits;
import org.creneau.journal.Journal;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What an organization lets a connected app do. Grants are tenant data: every statement runs in
 * the {@link TenantScope} of the grantor's organization, so another organization's grant is simply
 * not there.
 */
@Service
class AppGrants {

    static final int MAX_PRACTITIONERS = 500;

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final ConnectedAppRegistry apps;
    private final Directory directory;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AppGuard guard;
    private final Journal journal;

    AppGrants(
            JdbcClient jdbc,
            TenantScope scope,
            ConnectedAppRegistry apps,
            Directory directory,
            ApplicationEventPublisher events,
            Clock clock,
            AppGuard guard,
            Journal journal) {
        this.guard = guard;
        this.journal = journal;
        this.jdbc = jdbc;
        this.scope = scope;
        this.apps = apps;
        this.directory = directory;
        this.events = events;
        this.clock = clock;
    }

    enum Status {
        ACTIVE,
        SUSPENDED,
        REVOKED
    }

    /**
     * Who changes an organization's grants: its admin, or the platform from the command line, acting
     * for the organization named there with no account of its own (events then name no actor).
     */
    record Grantor(Caller caller, UUID organizationId, UUID accountId) {

        static Grantor admin(Caller.Staff admin) {
            return new Grantor(admin, admin.organizationId(), admin.accountId());
        }

        static Grantor platform(UUID organizationId) {
            return new Grantor(new Caller.System(organizationId), organizationId, null);
        }
    }

    record NewGrant(
            UUID appId, String clientId, List<String> scopes, List<UUID> practitionerIds, Boolean contactDetails) {}

    record Grant(
            UUID id,
            UUID appId,
            String clientId,
            String appName,
            List<String> scopes,
            List<UUID> practitionerIds,
            boolean contactDetails,
            Status status,
            GrantLimits limits,
            Instant createdAt,
            Instant updatedAt) {}

    Grant grant(Grantor grantor, NewGrant body) {
        ConnectedApp app = findApp(body);
        if (app.status() != ConnectedApp.Status.ACTIVE) {
            throw new ConflictException("app-suspended", "This app is suspended by the platform.");
        }
        List<String> scopes = SmartScope.values(SmartScope.parseAll(body.scopes(), "scopes"));
        if (!app.allowedScopes().containsAll(scopes)) {
            throw new InvalidInputException(
                    "scopes", "may only hold scopes the app is allowed: " + app.allowedScopes());
        }
        List<UUID> practitioners = practitionersOf(grantor, body.practitionerIds());
        boolean contactDetails = Boolean.TRUE.equals(body.contactDetails());
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        scope.write(grantor.caller(), () -> {
            try {
                jdbc.sql("""
                                INSERT INTO app_grant (id, organization_id, app_id, scopes, practitioner_ids,
                                       contact_details, status, granted_by_account_id, created_at, updated_at)
                                VALUES (:id, :org, :app, CAST(:scopes AS text[]), CAST(:practitioners AS uuid[]),
                                       :contact, 'ACTIVE', :actor, :now, :now)
                                """)
                        .param("id", id)
                        .param("org", grantor.organizationId())
                        .param("app", app.id())
                        .param("scopes", scopes.toArray(String[]::new))
                        .param(
                                "practitioners",
                                practitioners == null
                                        ? null
                                        : practitioners.stream()
                                                .map(UUID::toString)
                                                .toArray(String[]::new),
                                java.sql.Types.ARRAY)
                        .param("contact", contactDetails)
                        .param("actor", grantor.accountId())
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .update();
            } catch (DuplicateKeyException e) {
                throw new ConflictException("grant-exists", "This organization already has a live grant for this app.");
            } catch (DataIntegrityViolationException e) {
                // Only the command line names an organization that may not exist (an admin's always does).
                if (e.getMostSpecificCause() instanceof SQLException sql
                        && FOREIGN_KEY_VIOLATION.equals(sql.getSQLState())) {
                    throw new NotFoundException("organization");
                }
                throw e;
            }
            events.publishEvent(new AppGrantChanged(
                    AppGrantChanged.Kind.GRANTED, grantor.organizationId(), id, app.id(), grantor.accountId(), now));
        });
        return new Grant(
                id,
                app.id(),
                app.clientId(),
                app.name(),
                scopes,
                practitioners,
                contactDetails,
                Status.ACTIVE,
                GrantLimits.DEFAULTS,
                now,
                now);
    }

    Page<Grant> list(Grantor grantor, Paging paging) {
        return scope.read(grantor.caller(), () -> {
            long total =
                    jdbc.sql("SELECT count(*) FROM app_grant").query(Long.class).single();
            List<Grant> items = jdbc.sql(SELECT + " ORDER BY g.created_at, g.id LIMIT :limit OFFSET :offset")
                    .param("limit", paging.size())
                    .param("offset", paging.offset())
                    .query((rs, i) -> grant(rs))
                    .list();
            return Page.of(items, paging, total);
        });
    }

    Grant suspend(Grantor grantor, UUID grantId) {
        return change(grantor, grantId, Status.SUSPENDED, AppGrantChanged.Kind.SUSPENDED);
    }

    Grant resume(Grantor grantor, UUID grantId) {
        return change(grantor, grantId, Status.ACTIVE, AppGrantChanged.Kind.RESUMED);
    }

    Grant revoke(Grantor grantor, UUID grantId) {
        return change(grantor, grantId, Status.REVOKED, AppGrantChanged.Kind.REVOKED);
    }

    private Grant change(Grantor grantor, UUID grantId, Status target, AppGrantChanged.Kind kind) {
        Instant now = clock.instant();
        return scope.write(grantor.caller(), () -> {
            Grant current = byId(grantId);
            if (current.status() == target) {
                return current;
            }
            if (current.status() == Status.REVOKED) {
                throw new ConflictException("grant-revoked", "A revoked grant stays revoked; grant the app again.");
            }
            jdbc.sql("UPDATE app_grant SET status = :status, updated_at = :now WHERE id = :id")
                    .param("status", target.name())
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .param("id", grantId)
                    .update();
            if (target == Status.ACTIVE) {
                guard.forgive(grantor.organizationId(), grantId);
            }
            events.publishEvent(new AppGrantChanged(
                    kind, grantor.organizationId(), grantId, current.appId(), grantor.accountId(), now));
            return byId(grantId);
        });
    }

    /** Within the grantor's scope: another organization's grant is not found, like one that never existed. */
    private Grant byId(UUID grantId) {
        return jdbc.sql(SELECT + " WHERE g.id = :id FOR UPDATE OF g")
                .param("id", grantId)
                .query((rs, i) -> grant(rs))
                .optional()
                .orElseThrow(() -> new NotFoundException("grant"));
    }

    private ConnectedApp findApp(NewGrant body) {
        if ((body.appId() == null) == (body.clientId() == null)) {
            throw new InvalidInputException("appId", "give either appId or clientId");
        }
        var found = body.appId() != null ? apps.byId(body.appId()) : apps.byClientId(body.clientId());
        return found.orElseThrow(() -> new NotFoundException("connected app"));
    }

    /** Null means every agenda of the organization; otherwise each must be one of its practitioners. */
    private List<UUID> practitionersOf(Grantor grantor, List<UUID> ids) {
        if (ids == null) {
            return null;
        }
        if (ids.isEmpty() || ids.size() > MAX_PRACTITIONERS) {
            throw new InvalidInputException(
                    "practitionerIds", "must name 1 to " + MAX_PRACTITIONERS + " practitioners, or be left out");
        }
        Set<UUID> unique = new LinkedHashSet<>();
        for (UUID id : ids) {
            boolean ours = id != null
                    && directory
                            .practitioner(id)
                            .filter(p -> p.organizationId().equals(grantor.organizationId()))
                            .isPresent();
            if (!ours) {
                throw new InvalidInputException("practitionerIds", "must be practitioners of the organization");
            }
            unique.add(id);
        }
        return List.copyOf(unique);
    }

    private static final String SELECT = """
            SELECT g.id, g.app_id, a.client_id, a.name, g.scopes, g.practitioner_ids, g.contact_details, g.status,
                   g.new_patients_per_10_minutes, g.patients_per_hour, g.patients_per_day, g.appointments_per_hour,
                   g.appointments_per_day, g.requests_per_minute, g.searches_per_10_minutes, g.search_windows_per_hour,
                   g.unseen_reads_per_hour, g.refusals_per_10_minutes, g.distant_past_per_day, g.patient_share_percent,
                   g.allowed_from, g.allowed_to, g.allowed_time_zone, g.created_at, g.updated_at
              FROM app_grant g JOIN connected_app a ON a.id = g.app_id""";

    private static Grant grant(ResultSet rs) throws SQLException {
        java.sql.Array practitioners = rs.getArray("practitioner_ids");
        return new Grant(
                rs.getObject("id", UUID.class),
                rs.getObject("app_id", UUID.class),
                rs.getString("client_id"),
                rs.getString("name"),
                ConnectedAppRegistry.strings(rs.getArray("scopes")),
                practitioners == null ? null : Arrays.asList((UUID[]) practitioners.getArray()),
                rs.getBoolean("contact_details"),
                Status.valueOf(rs.getString("status")),
                limits(rs),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    /** The limits an organization's admin set on a grant, as the row carries them (null: the default). */
    static GrantLimits limits(ResultSet rs) throws SQLException {
        String zone = rs.getString("allowed_time_zone");
        return new GrantLimits(
                (Integer) rs.getObject("new_patients_per_10_minutes"),
                (Integer) rs.getObject("patients_per_hour"),
                (Integer) rs.getObject("patients_per_day"),
                (Integer) rs.getObject("appointments_per_hour"),
                (Integer) rs.getObject("appointments_per_day"),
                (Integer) rs.getObject("requests_per_minute"),
                (Integer) rs.getObject("searches_per_10_minutes"),
                (Integer) rs.getObject("search_windows_per_hour"),
                (Integer) rs.getObject("unseen_reads_per_hour"),
                (Integer) rs.getObject("refusals_per_10_minutes"),
                (Integer) rs.getObject("distant_past_per_day"),
                (Integer) rs.getObject("patient_share_percent"),
                rs.getObject("allowed_from", LocalTime.class),
                rs.getObject("allowed_to", LocalTime.class),
                zone == null ? null : ZoneId.of(zone));
    }

    /**
     * Sets a grant's own limits and hours; null values fall back to the platform's defaults, and no value
     * may exceed the platform's ceiling (422 naming the field). Every change is journaled, published
     * ({@link GrantLimitsChanged}) and so emailed to the platform's security contact.
     */
    Grant limit(Grantor grantor, UUID grantId, GrantLimits limits, String route) {
        Instant now = clock.instant();
        return scope.write(grantor.caller(), () -> {
            Grant current = byId(grantId);
            // Another organization's grant is not found before anything is said about the values.
            guard.requireWithinCeilings(limits);
            if (current.status() == Status.REVOKED) {
                throw new ConflictException("grant-revoked", "A revoked grant stays revoked; grant the app again.");
            }
            jdbc.sql("""
                            UPDATE app_grant SET new_patients_per_10_minutes = :velocity, patients_per_hour = :ph,
                                   patients_per_day = :pd, appointments_per_hour = :ah, appointments_per_day = :ad,
                                   requests_per_minute = :rpm, searches_per_10_minutes = :searches,
                                   search_windows_per_hour = :windows, unseen_reads_per_hour = :unseen,
                                   refusals_per_10_minutes = :refusals, distant_past_per_day = :distant,
                                   patient_share_percent = :share,
                                   allowed_from = :from, allowed_to = :to, allowed_time_zone = :zone, updated_at = :now
                             WHERE id = :id
                            """)
                    .param("velocity", limits.newPatientsPer10Minutes(), java.sql.Types.INTEGER)
                    .param("ph", limits.patientsPerHour(), java.sql.Types.INTEGER)
                    .param("pd", limits.patientsPerDay(), java.sql.Types.INTEGER)
                    .param("ah", limits.appointmentsPerHour(), java.sql.Types.INTEGER)
                    .param("ad", limits.appointmentsPerDay(), java.sql.Types.INTEGER)
                    .param("rpm", limits.requestsPerMinute(), java.sql.Types.INTEGER)
                    .param("searches", limits.searchesPer10Minutes(), java.sql.Types.INTEGER)
                    .param("windows", limits.searchWindowsPerHour(), java.sql.Types.INTEGER)
                    .param("unseen", limits.unseenReadsPerHour(), java.sql.Types.INTEGER)
                    .param("refusals", limits.refusalsPer10Minutes(), java.sql.Types.INTEGER)
                    .param("distant", limits.distantPastPerDay(), java.sql.Types.INTEGER)
                    .param("share", limits.patientSharePercent(), java.sql.Types.INTEGER)
                    .param("from", limits.allowedFrom(), java.sql.Types.TIME)
                    .param("to", limits.allowedTo(), java.sql.Types.TIME)
                    .param(
                            "zone",
                            limits.timeZone() == null ? null : limits.timeZone().getId(),
                            java.sql.Types.VARCHAR)
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .param("id", grantId)
                    .update();
            Map<String, String> before = described(current.limits());
            Map<String, String> after = described(limits);
            List<String> changed = after.keySet().stream()
                    .filter(k -> !after.get(k).equals(before.get(k)))
                    .toList();
            if (!changed.isEmpty()) {
                journal.record(
                        grantor.caller(),
                        route,
                        "change-grant-limits",
                        "AppGrant",
                        List.of(grantId),
                        changed,
                        "UPDATED");
                events.publishEvent(new GrantLimitsChanged(
                        grantor.organizationId(), grantId, current.appId(), grantor.accountId(), before, after, now));
            }
            return byId(grantId);
        });
    }

    /** Every limit by its API name, as text: {@code default} where the platform's default applies. */
    private static Map<String, String> described(GrantLimits limits) {
        Map<String, String> all = new LinkedHashMap<>();
        limits.thresholds().forEach((name, value) -> all.put(name, value == null ? "default" : value.toString()));
        all.put(
                "allowedHours",
                limits.allowedFrom() == null
                        ? "default"
                        : limits.allowedFrom() + "-" + limits.allowedTo() + " " + limits.timeZone());
        return all;
    }

    /**
     * The guard contained the app: suspends its grant in that organization, or every live grant of the
     * app when the signal is severe. Runs as the alert commits, before the refused answer leaves, each
     * organization in a transaction of its own; only an organization's admin resumes a grant.
     */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void on(ContainmentOrdered order) {
        List<ActiveGrant> targets = order.severe()
                ? apps.activeGrants(order.appId())
                : apps.activeGrants(order.appId()).stream()
                        .filter(g -> g.grantId().equals(order.grantId()))
                        .toList();
        for (ActiveGrant target : targets) {
            Grantor platform = Grantor.platform(target.organizationId());
            scope.writeSeparately(platform.caller(), () -> {
                jdbc.sql(
                                "UPDATE app_grant SET status = 'SUSPENDED', updated_at = :now WHERE id = :id AND status = 'ACTIVE'")
                        .param("now", order.raisedAt().atOffset(ZoneOffset.UTC))
                        .param("id", target.grantId())
                        .update();
                events.publishEvent(new AppGrantChanged(
                        AppGrantChanged.Kind.SUSPENDED,
                        target.organizationId(),
                        target.grantId(),
                        order.appId(),
                        null,
                        order.raisedAt()));
            });
        }
    }
}
