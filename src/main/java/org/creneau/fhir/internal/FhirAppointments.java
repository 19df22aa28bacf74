package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.util.UrlUtil;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApps;
import org.creneau.booking.AppointmentHistory;
import org.creneau.booking.AppointmentStatus;
import org.creneau.booking.AppointmentView;
import org.creneau.booking.Appointments;
import org.creneau.booking.ConnectedAppBookings;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.TimeWindow;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Appointment for connected apps. Every query is narrowed before it runs: one query per active
 * grant, acting through that grant (row-level security keeps its organization's appointments of the
 * agendas it opens, V17), over a bounded date window. An app sees a patient reference, never a name.
 */
@Component
class FhirAppointments implements IResourceProvider {

    static final String SCOPE_READ = "system/Appointment.rs";
    static final String SCOPE_WRITE = "system/Appointment.cu";
    static final int MAX_COUNT = 50;
    static final int MAX_WINDOW_DAYS = 31;
    /** The search parameter of the next page's position (not a FHIR one: ours, opaque). */
    static final String CURSOR = "_cursor";

    static final String STATUS_SYSTEM = "http://hl7.org/fhir/appointmentstatus";

    private final ConnectedApps registry;
    private final Appointments appointments;
    private final AppointmentHistory history;
    private final GrantedAgendas agendas;
    private final ConnectedAppBookings bookings;
    private final Clock clock;
    /** The zone a date without a time is read in, as in the JSON API. */
    private final ZoneId dayZone;

    FhirAppointments(
            ConnectedApps registry,
            Appointments appointments,
            AppointmentHistory history,
            GrantedAgendas agendas,
            ConnectedAppBookings bookings,
            Clock clock,
            @Value("${creneau.default-time-zone:Europe/Paris}") String dayZone) {
        this.clock = clock;
        this.dayZone = ZoneId.of(dayZone);
        this.agendas = agendas;
        this.bookings = bookings;
        this.registry = registry;
        this.appointments = appointments;
        this.history = history;
    }

    @Override
    public Class<Appointment> getResourceType() {
        return Appointment.class;
    }

    /**
     * Search by {@code date} (required: the window of {@code start}, both bounds, at most 31 days),
     * narrowed by {@code actor}, {@code status} and {@code _lastUpdated}; every filter is a condition
     * of each grant's query, never applied afterwards. Pages follow {@code (start, id)} order with a
     * {@code _cursor} that names the last appointment returned: nothing is kept between pages.
     */
    @Search
    public Bundle search(
            @OptionalParam(name = Appointment.SP_DATE) DateRangeParam date,
            @OptionalParam(name = Appointment.SP_ACTOR) ReferenceOrListParam actor,
            @OptionalParam(name = Appointment.SP_STATUS) TokenOrListParam status,
            @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
            @OptionalParam(name = CURSOR) StringParam cursor,
            @Count Integer count,
            RequestDetails request) {
        AppToken token = AppToken.current(registry);
        List<ActiveGrant> grants = token.requireScope(SCOPE_READ);
        if (date == null) {
            throw new InvalidRequestException(
                    "date is required: every Appointment search needs a window of start (ge and lt), at most "
                            + MAX_WINDOW_DAYS + " days");
        }
        TimeWindow window = FhirSearch.window(date, Appointment.SP_DATE, dayZone, MAX_WINDOW_DAYS);
        int limit = FhirSearch.limit(count);
        Appointments.Actors actors = actors(actor);
        Set<AppointmentStatus> statuses = statuses(status);
        Appointments.ChangedBound changedFrom = changedFrom(lastUpdated);
        Appointments.ChangedBound changedTo = changedTo(lastUpdated);
        Appointments.After after = null;
        if (cursor != null && !cursor.isEmpty()) {
            Position position = Position.decode(cursor.getValue());
            after = new Appointments.After(position.start(), position.id());
        }
        // A hold that lapsed is no appointment: left out, except from an incremental sync, which must
        // learn that the pending appointment it saw is gone (it shows as cancelled). One more than a
        // page per grant tells whether a next page exists; merged in (start, id) order.
        Appointments.WindowQuery query = new Appointments.WindowQuery(
                window, actors, statuses, changedFrom, changedTo, lastUpdated != null, after, limit + 1);
        if (count != null && count == 0) {
            // _count=0 asks for the total alone (as _summary=count, FHIR R4 search): no entry, no link.
            // Declared like a search that shows nothing, so the guard and the journal see it as one.
            Disclosure counting = Disclosure.declare(request, "search", "Appointment", FIELDS, "READ");
            long total = 0;
            for (ActiveGrant grant : grants) {
                total += appointments.countInWindow(new Caller.App(grant.organizationId(), grant.grantId()), query);
                counting.shown(grant, List.of());
            }
            Bundle counted = searchset(request, List.of(), null);
            counted.setTotal((int) Math.min(total, Integer.MAX_VALUE));
            return counted;
        }
        List<AppointmentView> rows = new ArrayList<>();
        for (ActiveGrant grant : grants) {
            rows.addAll(appointments.inWindow(new Caller.App(grant.organizationId(), grant.grantId()), query));
        }
        List<AppointmentView> sorted = rows.stream()
                .sorted(Comparator.comparing(AppointmentView::start).thenComparing(r -> r.id().toString()))
                .toList();
        List<AppointmentView> page = sorted.stream().limit(limit).toList();
        Disclosure disclosed = Disclosure.declare(request, "search", "Appointment", FIELDS, "READ");
        for (ActiveGrant grant : grants) {
            disclosed.shown(
                    grant,
                    page.stream()
                            .filter(r -> r.organizationId().equals(grant.organizationId()))
                            .map(AppointmentView::id)
                            .toList());
        }
        String next = null;
        if (sorted.size() > limit) {
            AppointmentView last = page.get(page.size() - 1);
            next = nextLink(request, limit, new Position(last.start(), last.id()).encode());
        }
        return searchset(request, page, next);
    }

    /** {@code actor}: Practitioner (agenda), Location (site) or Patient (patient-file entry), OR-ed. */
    private static Appointments.Actors actors(ReferenceOrListParam actor) {
        if (actor == null || actor.getValuesAsQueryTokens().isEmpty()) {
            return null;
        }
        List<UUID> practitioners = new ArrayList<>();
        List<UUID> sites = new ArrayList<>();
        List<UUID> patients = new ArrayList<>();
        for (ReferenceParam reference : actor.getValuesAsQueryTokens()) {
            if (reference.hasChain()) {
                throw new InvalidRequestException("actor does not support chained references");
            }
            String type = reference.getResourceType();
            List<UUID> ids = switch (type == null ? "" : type) {
                case "Practitioner" -> practitioners;
                case "Location" -> sites;
                case "Patient" -> patients;
                default ->
                    throw new InvalidRequestException(
                            "actor must be a Practitioner/{id}, Location/{id} or Patient/{id} reference");
            };
            try {
                ids.add(UUID.fromString(reference.getIdPart()));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidRequestException("actor has an invalid id");
            }
        }
        return new Appointments.Actors(practitioners, sites, patients);
    }

    /** {@code status}: FHIR codes, OR-ed, turned into ours; a valid code we never use matches nothing. */
    private static Set<AppointmentStatus> statuses(TokenOrListParam status) {
        if (status == null || status.getValuesAsQueryTokens().isEmpty()) {
            return null;
        }
        Set<AppointmentStatus> ours = EnumSet.noneOf(AppointmentStatus.class);
        for (TokenParam code : status.getValuesAsQueryTokens()) {
            String system = code.getSystem();
            if (system != null && !system.isEmpty() && !STATUS_SYSTEM.equals(system)) {
                throw new InvalidRequestException("status codes are of " + STATUS_SYSTEM);
            }
            Appointment.AppointmentStatus wanted;
            try {
                wanted = Appointment.AppointmentStatus.fromCode(code.getValue());
            } catch (FHIRException e) {
                throw new InvalidRequestException("status " + code.getValue() + " is not an Appointment status");
            }
            STATUSES.forEach((ourStatus, fhirStatus) -> {
                if (fhirStatus == wanted) {
                    ours.add(ourStatus);
                }
            });
        }
        return ours;
    }

    /**
     * {@code _lastUpdated}, for incremental sync. {@code gt} and {@code lt} compare with the time
     * exactly as given (HAPI's bounds would move a {@code gt} a whole second on, missing changes made
     * within it); other prefixes take the bounds of the value's precision.
     */
    private static Appointments.ChangedBound changedFrom(DateRangeParam lastUpdated) {
        DateParam lower = lastUpdated == null ? null : lastUpdated.getLowerBound();
        if (lower == null || lower.getValue() == null) {
            return null;
        }
        boolean strict = lower.getPrefix() == ParamPrefixEnum.GREATERTHAN;
        Instant bound = strict
                ? lower.getValue().toInstant()
                : lastUpdated.getLowerBoundAsInstant().toInstant();
        return new Appointments.ChangedBound(bound, !strict);
    }

    private static Appointments.ChangedBound changedTo(DateRangeParam lastUpdated) {
        DateParam upper = lastUpdated == null ? null : lastUpdated.getUpperBound();
        if (upper == null || upper.getValue() == null) {
            return null;
        }
        boolean strict = upper.getPrefix() == ParamPrefixEnum.LESSTHAN;
        Instant bound = strict
                ? upper.getValue().toInstant()
                : lastUpdated.getUpperBoundAsInstant().toInstant();
        return new Appointments.ChangedBound(bound, !strict);
    }

    /** Where a page ended: the (start, id) of its last appointment, opaque to the app. */
    record Position(Instant start, UUID id) {

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((start + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String[] parts =
                        new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("two parts expected");
                }
                return new Position(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new InvalidRequestException(CURSOR + " is not one this server gave: follow the next link");
            }
        }
    }

    /** The same search from {@code after} on: every parameter kept, {@code _count} as capped. */
    private static String nextLink(RequestDetails request, int limit, String after) {
        StringBuilder url = new StringBuilder(request.getFhirServerBase()).append("/Appointment?");
        request.getParameters().forEach((name, values) -> {
            if (!CURSOR.equals(name) && !Constants.PARAM_COUNT.equals(name)) {
                for (String value : values) {
                    url.append(UrlUtil.escapeUrlParam(name))
                            .append('=')
                            .append(UrlUtil.escapeUrlParam(value))
                            .append('&');
                }
            }
        });
        return url.append(Constants.PARAM_COUNT)
                .append('=')
                .append(limit)
                .append('&')
                .append(CURSOR)
                .append('=')
                .append(after)
                .toString();
    }

    private Bundle searchset(RequestDetails request, List<AppointmentView> page, String next) {
        Bundle bundle = new Bundle();
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(Date.from(clock.instant()));
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation(Bundle.LINK_SELF).setUrl(request.getCompleteUrl());
        if (next != null) {
            bundle.addLink().setRelation(Bundle.LINK_NEXT).setUrl(next);
        }
        for (AppointmentView row : page) {
            Appointment a = resource(row);
            bundle.addEntry()
                    .setFullUrl(request.getFhirServerBase() + "/Appointment/" + row.id())
                    .setResource(a)
                    .getSearch()
                    .setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /**
     * Books a slot: participants name the Practitioner (the agenda), the Location (site), the
     * Patient (an entry of the organization's patient file) and the HealthcareService (the visit
     * motive); the end follows from the motive. A taken time is a 409. The app's own identifier, if
     * any, is stored with the booking; with {@code If-None-Exist: identifier=<system>|<value>}, an
     * appointment that already carries it (within the grants) is answered, 200, and nothing is booked.
     */
    @Create
    public MethodOutcome create(
            @ResourceParam Appointment body, @ConditionalUrlParam String conditionalUrl, RequestDetails request) {
        AppToken token = AppToken.current(registry);
        List<ActiveGrant> grants = token.requireScope(SCOPE_WRITE);
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
        ConnectedAppBookings.AppIdentifier identifier = identifierOf(body);
        if (conditionalUrl != null) {
            if (!identifierCondition(conditionalUrl).equals(identifier)) {
                throw new InvalidRequestException(
                        "If-None-Exist must name the identifier the Appointment carries (identifier=<system>|<value>)");
            }
            Optional<MethodOutcome> existing = existing(grants, identifier, request);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        GrantedAgendas.Agenda agenda = agendas.of(grants, Integer.MAX_VALUE).stream()
                .filter(a -> a.practitionerId().equals(practitioner))
                .findFirst()
                .orElseThrow(() -> new ResourceNotFoundException(new IdType("Practitioner", practitioner.toString())));
        AppointmentView booked;
        try {
            booked = bookings.book(
                    agenda.organizationId(),
                    practitioner,
                    motive,
                    site,
                    body.getStart().toInstant(),
                    patient,
                    identifier,
                    new Caller.ForApp(token.appId(), agenda.grantId()));
        } catch (ConflictException e) {
            if (conditionalUrl != null) {
                // The same request, retried while the first was being booked, loses on the identifier or,
                // waiting behind it for the agenda, on the time: either way, answer the first.
                Optional<MethodOutcome> existing = existing(grants, identifier, request);
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            throw new ResourceVersionConflictException(e.getMessage());
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(e.field() + " " + e.getMessage());
        } catch (NotFoundException e) {
            throw new ResourceNotFoundException(e.getMessage());
        }
        ActiveGrant grant = grants.stream()
                .filter(g -> g.grantId().equals(agenda.grantId()))
                .findFirst()
                .orElseThrow();
        // Booking answers the appointment as stored: no second read.
        Appointment created = resource(booked);
        Disclosure.declare(request, "book", "Appointment", FIELDS, "CREATED").shown(grant, List.of(booked.id()));
        MethodOutcome outcome = new MethodOutcome(created.getIdElement(), true);
        outcome.setResource(created);
        return outcome;
    }

    /** The app's own identifier of the booking: at most one, with both system and value. */
    private static ConnectedAppBookings.AppIdentifier identifierOf(Appointment body) {
        if (!body.hasIdentifier()) {
            return null;
        }
        if (body.getIdentifier().size() > 1) {
            throw new InvalidRequestException("Appointment.identifier: at most one");
        }
        Identifier given = body.getIdentifierFirstRep();
        if (!given.hasSystem() || !given.hasValue()) {
            throw new InvalidRequestException("Appointment.identifier needs a system and a value");
        }
        if (given.getSystem().length() > 200 || given.getValue().length() > 200) {
            throw new InvalidRequestException("Appointment.identifier system and value have at most 200 characters");
        }
        return new ConnectedAppBookings.AppIdentifier(given.getSystem(), given.getValue());
    }

    /** The identifier named by {@code If-None-Exist}, the one condition supported. */
    private static ConnectedAppBookings.AppIdentifier identifierCondition(String conditionalUrl) {
        String query = conditionalUrl.substring(conditionalUrl.indexOf('?') + 1);
        Map<String, String[]> params = UrlUtil.parseQueryString(query);
        String[] values = params.get(Appointment.SP_IDENTIFIER);
        if (params.size() != 1 || values == null || values.length != 1) {
            throw new InvalidRequestException("If-None-Exist supports identifier=<system>|<value> only");
        }
        int bar = values[0].indexOf('|');
        if (bar <= 0 || bar == values[0].length() - 1) {
            throw new InvalidRequestException("If-None-Exist supports identifier=<system>|<value> only");
        }
        return new ConnectedAppBookings.AppIdentifier(values[0].substring(0, bar), values[0].substring(bar + 1));
    }

    /** The appointment carrying {@code identifier} within the grants, answered as an existing one (200). */
    private Optional<MethodOutcome> existing(
            List<ActiveGrant> grants, ConnectedAppBookings.AppIdentifier identifier, RequestDetails request) {
        List<AppointmentView> found = new ArrayList<>();
        ActiveGrant matched = null;
        for (ActiveGrant grant : grants) {
            List<AppointmentView> rows =
                    appointments.byAppIdentifier(new Caller.App(grant.organizationId(), grant.grantId()), identifier);
            if (!rows.isEmpty()) {
                matched = grant;
                found.addAll(rows);
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new PreconditionFailedException("If-None-Exist matches more than one appointment");
        }
        AppointmentView row = found.get(0);
        Disclosure.declare(request, "book (already booked)", "Appointment", FIELDS, "READ")
                .shown(matched, List.of(row.id()));
        Appointment appointment = resource(row);
        MethodOutcome outcome = new MethodOutcome(appointment.getIdElement(), false);
        outcome.setResource(appointment);
        return Optional.of(outcome);
    }

    /**
     * Cancels: the only change an app makes by update is status {@code cancelled} with a
     * cancelation reason. With {@code If-Match}, the version must be the current one (else 412).
     */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Appointment body, RequestDetails request) {
        AppToken token = AppToken.current(registry);
        List<ActiveGrant> grants = token.requireScope(SCOPE_WRITE);
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
        for (ActiveGrant grant : grants) {
            Optional<AppointmentView> row =
                    appointments.byId(new Caller.App(grant.organizationId(), grant.grantId()), wanted);
            if (row.isEmpty()) {
                continue;
            }
            try {
                bookings.cancel(
                        grant.organizationId(),
                        wanted,
                        expected,
                        reason.trim(),
                        new Caller.ForApp(token.appId(), grant.grantId()));
            } catch (ConflictException e) {
                if ("version-mismatch".equals(e.code())) {
                    throw new PreconditionFailedException(e.getMessage());
                }
                throw new ResourceVersionConflictException(e.getMessage());
            } catch (NotFoundException e) {
                // A decoy (canary record) is readable here but not in the appointment book: it cannot change.
                throw new ResourceNotFoundException(id);
            }
            Appointment cancelled = resource(appointments
                    .byId(new Caller.App(grant.organizationId(), grant.grantId()), wanted)
                    .orElseThrow());
            Disclosure.declare(request, "cancel", "Appointment", FIELDS, "UPDATED")
                    .shown(grant, List.of(wanted));
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

    /**
     * Read, and {@code vread} of an earlier version from the appointment's history: only an appointment
     * the grant may read now, so a history never reaches further than the appointment itself.
     */
    @Read(version = true)
    public Appointment read(@IdParam IdType id, RequestDetails request) {
        AppToken token = AppToken.current(registry);
        List<ActiveGrant> grants = token.requireScope(SCOPE_READ);
        UUID wanted = idOf(id);
        Integer version = null;
        if (id.hasVersionIdPart()) {
            try {
                version = Integer.valueOf(id.getVersionIdPart());
            } catch (NumberFormatException e) {
                throw new ResourceNotFoundException(id);
            }
        }
        for (ActiveGrant grant : grants) {
            Caller.App app = new Caller.App(grant.organizationId(), grant.grantId());
            Optional<AppointmentView> current = appointments.byId(app, wanted);
            if (current.isEmpty()) {
                continue;
            }
            AppointmentView shown = version == null || version == current.get().version()
                    ? current.get()
                    : history.version(app, wanted, version).orElseThrow(() -> new ResourceNotFoundException(id));
            Disclosure.declare(request, version == null ? "read" : "read a version", "Appointment", FIELDS, "READ")
                    .shown(grant, List.of(wanted));
            return resource(shown);
        }
        // Another organization's appointment and a missing one give the same answer.
        throw new ResourceNotFoundException(id);
    }

    /**
     * {@code _history} of one appointment: every recorded version, newest first, the current one
     * included (an appointment unchanged since the history began has that one only).
     */
    @History
    public List<IBaseResource> history(@IdParam IdType id, RequestDetails request) {
        AppToken token = AppToken.current(registry);
        List<ActiveGrant> grants = token.requireScope(SCOPE_READ);
        UUID wanted = idOf(id);
        for (ActiveGrant grant : grants) {
            Caller.App app = new Caller.App(grant.organizationId(), grant.grantId());
            Optional<AppointmentView> current = appointments.byId(app, wanted);
            if (current.isEmpty()) {
                continue;
            }
            Map<Integer, AppointmentView> versions = new TreeMap<>(Comparator.reverseOrder());
            history.versions(app, wanted).forEach(v -> versions.put(v.version(), v));
            versions.put(current.get().version(), current.get());
            Disclosure.declare(request, "read history", "Appointment", FIELDS, "READ")
                    .shown(grant, List.of(wanted));
            return versions.values().stream()
                    .map(v -> (IBaseResource) resource(v))
                    .toList();
        }
        throw new ResourceNotFoundException(id);
    }

    private static UUID idOf(IdType id) {
        try {
            return UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ResourceNotFoundException(id);
        }
    }

    /**
     * One appointment as the app holding {@code grantId} reads it: empty when the grant's agendas do
     * not include it. Also what a subscription's notification carries.
     */
    Optional<Appointment> asGranted(UUID organizationId, UUID grantId, UUID appointmentId) {
        return appointments
                .byId(new Caller.App(organizationId, grantId), appointmentId)
                .map(FhirAppointments::resource);
    }

    /** Our statuses as FHIR shows them; a status search goes the other way. */
    private static final Map<AppointmentStatus, Appointment.AppointmentStatus> STATUSES = Map.of(
            AppointmentStatus.HELD, Appointment.AppointmentStatus.PENDING,
            AppointmentStatus.BOOKED, Appointment.AppointmentStatus.BOOKED,
            AppointmentStatus.ARRIVED, Appointment.AppointmentStatus.ARRIVED,
            AppointmentStatus.SEEN, Appointment.AppointmentStatus.FULFILLED,
            AppointmentStatus.NO_SHOW, Appointment.AppointmentStatus.NOSHOW,
            AppointmentStatus.CANCELLED, Appointment.AppointmentStatus.CANCELLED,
            AppointmentStatus.EXPIRED, Appointment.AppointmentStatus.CANCELLED);

    /** The fields an app sees of an appointment, as the journal lists them. */
    static final List<String> FIELDS = List.of("id", "identifier", "status", "start", "end", "participant", "meta");

    static Appointment resource(AppointmentView r) {
        Appointment a = new Appointment();
        a.setId(new IdType("Appointment", r.id().toString(), String.valueOf(r.version())));
        a.getMeta().setVersionId(String.valueOf(r.version())).setLastUpdated(Date.from(r.updatedAt()));
        if (r.identifier() != null) {
            a.addIdentifier()
                    .setSystem(r.identifier().system())
                    .setValue(r.identifier().value());
        }
        a.setStatus(STATUSES.get(r.status()));
        a.setStart(Date.from(r.start()));
        a.setEnd(Date.from(r.end()));
        if (r.cancelReason() != null) {
            a.getCancelationReason().setText(r.cancelReason());
        }
        if (r.orgPatientId() != null) {
            a.addParticipant()
                    .setActor(new Reference("Patient/" + r.orgPatientId()))
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
