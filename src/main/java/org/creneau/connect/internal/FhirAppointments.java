package org.creneau.connect.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.booking.ConnectedAppBookings;
import org.creneau.journal.AccessRecord;
import org.creneau.journal.Journal;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Appointment for connected apps. Every query is narrowed before it runs: one query per active
 * grant, as that grant's organization (row-level security applies) and only on its agendas, over
 * a bounded date window. An app sees a patient reference, never a name.
 */
@Component
class FhirAppointments implements IResourceProvider {

    static final String SCOPE_READ = "system/Appointment.rs";
    static final String SCOPE_WRITE = "system/Appointment.cu";
    static final int MAX_COUNT = 50;
    static final int MAX_WINDOW_DAYS = 31;

    private final ConnectedAppRegistry registry;
    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final Journal journal;
    private final GrantedAgendas agendas;
    private final ConnectedAppBookings bookings;

    FhirAppointments(
            ConnectedAppRegistry registry,
            TenantScope scope,
            JdbcClient jdbc,
            Journal journal,
            GrantedAgendas agendas,
            ConnectedAppBookings bookings) {
        this.agendas = agendas;
        this.bookings = bookings;
        this.registry = registry;
        this.scope = scope;
        this.jdbc = jdbc;
        this.journal = journal;
    }

    @Override
    public Class<Appointment> getResourceType() {
        return Appointment.class;
    }

    @Search
    public List<Appointment> search(
            @RequiredParam(name = Appointment.SP_DATE) DateRangeParam date, @Count Integer count) {
        AppToken token = AppToken.current(registry);
        List<ConnectedAppRegistry.ActiveGrant> grants = token.requireScope(SCOPE_READ);
        Date lower = date.getLowerBoundAsInstant();
        Date upper = date.getUpperBoundAsInstant();
        if (lower == null || upper == null) {
            throw new InvalidRequestException("date needs a lower and an upper bound (ge and le)");
        }
        Instant from = lower.toInstant();
        Instant to = upper.toInstant();
        if (!to.isAfter(from) || Duration.between(from, to).toDays() > MAX_WINDOW_DAYS) {
            throw new InvalidRequestException("the date window must span at most " + MAX_WINDOW_DAYS + " days");
        }
        int limit = Math.min(count == null ? MAX_COUNT : Math.max(count, 1), MAX_COUNT);
        List<Row> rows = new ArrayList<>();
        for (ConnectedAppRegistry.ActiveGrant grant : grants) {
            rows.addAll(scope.read(
                    new Caller.System(grant.organizationId()),
                    () -> jdbc.sql(SELECT + """
                             WHERE a.start_at >= :from AND a.start_at < :to AND a.status <> 'EXPIRED'
                               AND (g.practitioner_ids IS NULL OR a.practitioner_id = ANY (g.practitioner_ids))
                             ORDER BY a.start_at, a.id
                             LIMIT :limit
                            """)
                            .param("grant", grant.grantId())
                            .param("from", from.atOffset(ZoneOffset.UTC))
                            .param("to", to.atOffset(ZoneOffset.UTC))
                            .param("limit", limit)
                            .query((rs, i) -> row(rs))
                            .list()));
        }
        List<Appointment> found = rows.stream()
                .sorted(Comparator.comparing(Row::start).thenComparing(r -> r.id().toString()))
                .limit(limit)
                .map(FhirAppointments::resource)
                .toList();
        for (ConnectedAppRegistry.ActiveGrant grant : grants) {
            journal(
                    token,
                    grant,
                    "GET /fhir/Appointment",
                    "search",
                    rows.stream()
                            .filter(r -> r.organizationId().equals(grant.organizationId()))
                            .map(Row::id)
                            .toList());
        }
        return found;
    }

    /**
     * Books a slot: participants name the Practitioner (the agenda), the Location (site), the
     * Patient (an entry of the organization's patient file) and the HealthcareService (the visit
     * motive); the end follows from the motive. A taken time is a 409.
     */
    @Create
    public MethodOutcome create(@ResourceParam Appointment body) {
        AppToken token = AppToken.current(registry);
        List<ConnectedAppRegistry.ActiveGrant> grants = token.requireScope(SCOPE_WRITE);
        if (body.getStatus() != null
                && body.getStatus() != Appointment.AppointmentStatus.BOOKED
                && body.getStatus() != Appointment.AppointmentStatus.PROPOSED) {
            throw new InvalidRequestException("Appointment.status must be booked");
        }
        if (body.getStart() == null) {
            throw new InvalidRequestException("Appointment.start is required");
        }
        UUID practitioner = participant(body, "Practitioner");
        UUID site = participant(body, "Location");
        UUID patient = participant(body, "Patient");
        UUID motive = participant(body, "HealthcareService");
        GrantedAgendas.Agenda agenda = agendas.of(grants, Integer.MAX_VALUE).stream()
                .filter(a -> a.practitionerId().equals(practitioner))
                .findFirst()
                .orElseThrow(() -> new ResourceNotFoundException(new IdType("Practitioner", practitioner.toString())));
        UUID id;
        try {
            id = bookings.book(
                    agenda.organizationId(),
                    practitioner,
                    motive,
                    site,
                    body.getStart().toInstant(),
                    patient);
        } catch (ConflictException e) {
            throw new ResourceVersionConflictException(e.getMessage());
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(e.field() + " " + e.getMessage());
        } catch (NotFoundException e) {
            throw new ResourceNotFoundException(e.getMessage());
        }
        ConnectedAppRegistry.ActiveGrant grant = grants.stream()
                .filter(g -> g.grantId().equals(agenda.grantId()))
                .findFirst()
                .orElseThrow();
        Appointment created = scope.read(
                new Caller.System(agenda.organizationId()),
                () -> jdbc.sql(SELECT + " WHERE a.id = :id")
                        .param("grant", grant.grantId())
                        .param("id", id)
                        .query((rs, i) -> resource(row(rs)))
                        .single());
        journal(token, grant, "POST /fhir/Appointment", "book", List.of(id), "CREATED");
        MethodOutcome outcome = new MethodOutcome(created.getIdElement(), true);
        outcome.setResource(created);
        return outcome;
    }

    /**
     * Cancels: the only change an app makes by update is status {@code cancelled} with a
     * cancelation reason. With {@code If-Match}, the version must be the current one (else 412).
     */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Appointment body) {
        AppToken token = AppToken.current(registry);
        List<ConnectedAppRegistry.ActiveGrant> grants = token.requireScope(SCOPE_WRITE);
        if (body.getStatus() != Appointment.AppointmentStatus.CANCELLED) {
            throw new InvalidRequestException("only a cancellation (status cancelled) can be made by update");
        }
        String reason = body.getCancelationReason().getText();
        if (reason == null || reason.isBlank()) {
            throw new InvalidRequestException("Appointment.cancelationReason.text is required");
        }
        UUID wanted;
        try {
            wanted = UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException(id);
        }
        Integer expected = id.hasVersionIdPart() ? Integer.valueOf(id.getVersionIdPart()) : null;
        for (ConnectedAppRegistry.ActiveGrant grant : grants) {
            Optional<Row> row = scope.read(
                    new Caller.System(grant.organizationId()),
                    () -> jdbc.sql(SELECT
                                    + " WHERE a.id = :id AND (g.practitioner_ids IS NULL"
                                    + " OR a.practitioner_id = ANY (g.practitioner_ids))")
                            .param("grant", grant.grantId())
                            .param("id", wanted)
                            .query((rs, i) -> row(rs))
                            .optional());
            if (row.isEmpty()) {
                continue;
            }
            try {
                bookings.cancel(grant.organizationId(), wanted, expected, reason.trim());
            } catch (ConflictException e) {
                if ("version-mismatch".equals(e.code())) {
                    throw new PreconditionFailedException(e.getMessage());
                }
                throw new ResourceVersionConflictException(e.getMessage());
            }
            Appointment cancelled = scope.read(
                    new Caller.System(grant.organizationId()),
                    () -> jdbc.sql(SELECT + " WHERE a.id = :id")
                            .param("grant", grant.grantId())
                            .param("id", wanted)
                            .query((rs, i) -> resource(row(rs)))
                            .single());
            journal(token, grant, "PUT /fhir/Appointment/{id}", "cancel", List.of(wanted), "UPDATED");
            MethodOutcome outcome = new MethodOutcome(cancelled.getIdElement());
            outcome.setResource(cancelled);
            return outcome;
        }
        throw new ResourceNotFoundException(id);
    }

    private static UUID participant(Appointment body, String type) {
        return body.getParticipant().stream()
                .map(p -> p.getActor().getReferenceElement())
                .filter(ref -> type.equals(ref.getResourceType()))
                .map(ref -> {
                    try {
                        return UUID.fromString(ref.getIdPart());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidRequestException("Appointment.participant " + type + " has an invalid id");
                    }
                })
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException("Appointment.participant " + type + " is required"));
    }

    @Read
    public Appointment read(@IdParam IdType id) {
        AppToken token = AppToken.current(registry);
        List<ConnectedAppRegistry.ActiveGrant> grants = token.requireScope(SCOPE_READ);
        UUID wanted;
        try {
            wanted = UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException(id);
        }
        for (ConnectedAppRegistry.ActiveGrant grant : grants) {
            Optional<Appointment> found = asGranted(grant.organizationId(), grant.grantId(), wanted);
            if (found.isPresent()) {
                journal(token, grant, "GET /fhir/Appointment/{id}", "read", List.of(wanted));
                return found.get();
            }
        }
        // Another organization's appointment and a missing one give the same answer.
        throw new ResourceNotFoundException(id);
    }

    /**
     * One appointment as the app holding {@code grantId} reads it: empty when the grant's agendas do
     * not include it. Also what a subscription's notification carries.
     */
    Optional<Appointment> asGranted(UUID organizationId, UUID grantId, UUID appointmentId) {
        return scope.read(
                new Caller.System(organizationId),
                () -> jdbc.sql(
                                SELECT
                                        + " WHERE a.id = :id AND (g.practitioner_ids IS NULL OR a.practitioner_id = ANY (g.practitioner_ids))")
                        .param("grant", grantId)
                        .param("id", appointmentId)
                        .query((rs, i) -> resource(row(rs)))
                        .optional());
    }

    private void journal(
            AppToken token, ConnectedAppRegistry.ActiveGrant grant, String route, String purpose, List<UUID> ids) {
        journal(token, grant, route, purpose, ids, "READ");
    }

    private void journal(
            AppToken token,
            ConnectedAppRegistry.ActiveGrant grant,
            String route,
            String purpose,
            List<UUID> ids,
            String outcome) {
        journal.append(new AccessRecord(
                AccessRecord.ActorKind.APP,
                token.appId(),
                "APP",
                grant.grantId(),
                grant.organizationId(),
                route,
                purpose,
                "Appointment",
                ids,
                FIELDS,
                outcome));
    }

    /** The fields an app sees of an appointment, as the journal lists them. */
    static final List<String> FIELDS = List.of("id", "status", "start", "end", "participant", "meta");

    private static final String SELECT = """
            SELECT a.id, a.organization_id, a.status, a.start_at, a.end_at, a.practitioner_id, a.site_id, a.org_patient_id,
                   a.cancel_reason, a.version, a.updated_at
              FROM appointment a
              JOIN app_grant g ON g.id = :grant AND g.organization_id = a.organization_id
            """;

    record Row(
            UUID id,
            UUID organizationId,
            String status,
            Instant start,
            Instant end,
            UUID practitionerId,
            UUID siteId,
            UUID patientId,
            String cancelReason,
            int version,
            Instant updatedAt) {}

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getString("status"),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                rs.getObject("practitioner_id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("org_patient_id", UUID.class),
                rs.getString("cancel_reason"),
                rs.getInt("version"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    static Appointment resource(Row r) {
        Appointment a = new Appointment();
        a.setId(new IdType("Appointment", r.id().toString(), String.valueOf(r.version())));
        a.getMeta().setVersionId(String.valueOf(r.version())).setLastUpdated(Date.from(r.updatedAt()));
        a.setStatus(
                switch (r.status()) {
                    case "HELD" -> Appointment.AppointmentStatus.PENDING;
                    case "BOOKED" -> Appointment.AppointmentStatus.BOOKED;
                    case "ARRIVED" -> Appointment.AppointmentStatus.ARRIVED;
                    case "SEEN" -> Appointment.AppointmentStatus.FULFILLED;
                    case "NO_SHOW" -> Appointment.AppointmentStatus.NOSHOW;
                    default -> Appointment.AppointmentStatus.CANCELLED;
                });
        a.setStart(Date.from(r.start()));
        a.setEnd(Date.from(r.end()));
        if (r.cancelReason() != null) {
            a.getCancelationReason().setText(r.cancelReason());
        }
        if (r.patientId() != null) {
            a.addParticipant()
                    .setActor(new Reference("Patient/" + r.patientId()))
                    .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        }
        a.addParticipant()
                .setActor(new Reference("Practitioner/" + r.practitionerId()))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant()
                .setActor(new Reference("Location/" + r.siteId()))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return a;
    }
}
