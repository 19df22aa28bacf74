package org.creneau.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ActiveGrant;
import org.creneau.apps.ConnectedApps;
import org.creneau.guard.AccessContained;
import org.creneau.guard.AppCall;
import org.creneau.guard.AppGuard;
import org.creneau.guard.QuotaExceeded;
import org.creneau.journal.AccessRecord;
import org.creneau.journal.Journal;
import org.creneau.platform.TimeWindow;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Puts the guard between every FHIR answer and the app: before a request, the grant's hours; after
 * it, in one guard transaction per grant, what the answer would show (appointments, the patients
 * they name, patients) and the date window searched; the refusals. It is also the FHIR surface's one
 * journal hook: providers declare what they disclose ({@link Disclosure}) and never write the journal.
 * When the guard contains the app, the answer is withheld (401, the grant is already suspended) and
 * the journal says so, instead of what was declared.
 */
@Component
@Interceptor
class FhirGuard {

    private final ConnectedApps registry;
    private final AppGuard guard;
    private final Journal journal;
    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final ZoneId dayZone;

    FhirGuard(
            ConnectedApps registry,
            AppGuard guard,
            Journal journal,
            TenantScope scope,
            JdbcClient jdbc,
            @Value("${creneau.default-time-zone:Europe/Paris}") String dayZone) {
        this.dayZone = ZoneId.of(dayZone);
        this.registry = registry;
        this.guard = guard;
        this.journal = journal;
        this.scope = scope;
        this.jdbc = jdbc;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    void before(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA) {
            return;
        }
        AppToken token = AppToken.current(registry);
        guarded(request, () -> {
            for (ActiveGrant grant : token.grants()) {
                guard.admit(call(token, grant));
            }
        });
    }

    /**
     * Before the body is written: the guard observes what the answer shows, then the journal gets one
     * entry per grant from what the provider declared, with the true outcome: what was declared when
     * the answer is sent, {@code WITHHELD} when the guard stops it. Each entry commits first, so an
     * answer that leaves always has its entry. With one grant, the declared entry is appended by the
     * guard's observing statement itself when nothing stops the answer: one round trip per answer.
     */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    boolean after(RequestDetails request, IBaseResource response) {
        if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
            return true;
        }
        Disclosure disclosed = Disclosure.of(request);
        if (response == null && disclosed == null) {
            return true;
        }
        AppToken token = AppToken.current(registry);
        List<UUID> appointments = new ArrayList<>();
        Set<UUID> patients = new LinkedHashSet<>();
        List<UUID> distant = new ArrayList<>();
        if (response != null) {
            collect(response, appointments, patients, distant, guard.distantPast());
        }
        // An appointment's _history shows it once per version: one record shown.
        appointments = new ArrayList<>(new LinkedHashSet<>(appointments));
        RestOperationTypeEnum operation = request.getRestOperationType();
        Instant[] window =
                operation == RestOperationTypeEnum.SEARCH_TYPE && "Appointment".equals(request.getResourceName())
                        ? window(request.getParameters().get(Appointment.SP_DATE))
                        : null;
        Set<Disclosure.Shown> journaled = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (!appointments.isEmpty() || !patients.isEmpty() || window != null) {
            observe(request, token, operation, appointments, patients, distant, window, disclosed, journaled);
        }
        if (disclosed == null && (!appointments.isEmpty() || !patients.isEmpty())) {
            // Deny by default: an answer that shows appointments or patients nobody declared is not sent.
            throw new InternalErrorException("the answer could not be journaled");
        }
        if (disclosed != null) {
            for (Disclosure.Shown shown : disclosed.shown()) {
                if (journaled.contains(shown)) {
                    continue;
                }
                journal.append(entry(
                        request,
                        token,
                        shown.grant(),
                        disclosed.purpose(),
                        disclosed.resourceType(),
                        shown.ids(),
                        disclosed.fields(),
                        disclosed.outcome()));
            }
        }
        return true;
    }

    /** The guard's observation per grant; when it refuses, the answer is withheld and journaled as such. */
    private void observe(
            RequestDetails request,
            AppToken token,
            RestOperationTypeEnum operation,
            List<UUID> appointments,
            Set<UUID> patients,
            List<UUID> distant,
            Instant[] window,
            Disclosure disclosed,
            Set<Disclosure.Shown> journaled) {
        boolean created = operation == RestOperationTypeEnum.CREATE;
        boolean byId = operation == RestOperationTypeEnum.READ
                || operation == RestOperationTypeEnum.VREAD
                || operation == RestOperationTypeEnum.HISTORY_INSTANCE
                || operation == RestOperationTypeEnum.UPDATE;
        List<UUID> named = new ArrayList<>();
        if (byId && request.getId() != null) {
            uuid(request.getId().getIdPart(), named);
        }
        for (ActiveGrant grant : token.grants()) {
            List<UUID> grantAppointments = ofGrant(token, grant, "appointment", appointments);
            List<UUID> grantPatients = ofGrant(token, grant, "org_patient", List.copyOf(patients));
            AppCall call = call(token, grant);
            List<UUID> grantDistant =
                    distant.stream().filter(grantAppointments::contains).toList();
            try {
                if (created) {
                    guard.introduced(call, grantAppointments, grantPatients);
                } else {
                    // The grant's declared entry goes with the observation: one round trip for both. With
                    // several grants, a later grant's signal withholds the whole answer: entries wait.
                    Disclosure.Shown shown =
                            disclosed == null || token.grants().size() != 1 ? null : onlyShownTo(disclosed, grant);
                    Journal.Pending pending = shown == null
                            ? null
                            : journal.pending(entry(
                                    request,
                                    token,
                                    grant,
                                    disclosed.purpose(),
                                    disclosed.resourceType(),
                                    shown.ids(),
                                    disclosed.fields(),
                                    disclosed.outcome()));
                    if (guard.observe(
                            call,
                            grantAppointments,
                            grantPatients,
                            grantDistant,
                            named.isEmpty() ? null : named.get(0),
                            window == null ? null : window[0],
                            window == null ? null : window[1],
                            pending)) {
                        journaled.add(shown);
                    }
                }
            } catch (AccessContained | QuotaExceeded e) {
                // Nothing of the answer leaves: the grant the guard stopped gets one WITHHELD entry, and
                // no grant gets the entry the provider declared.
                String type = patients.isEmpty() || !appointments.isEmpty() ? "Appointment" : "Patient";
                List<UUID> ids = appointments.isEmpty() ? grantPatients : grantAppointments;
                if (disclosed != null) {
                    type = disclosed.resourceType();
                    ids = disclosed.shown().stream()
                            .filter(s -> s.grant().grantId().equals(grant.grantId()))
                            .flatMap(s -> s.ids().stream())
                            .toList();
                }
                journal.append(entry(request, token, grant, "guard", type, ids, List.of(), "WITHHELD"));
                throw answer(request, e);
            }
        }
    }

    /** The one declaration of what this grant is shown; null when there is none or several. */
    private static Disclosure.Shown onlyShownTo(Disclosure disclosed, ActiveGrant grant) {
        List<Disclosure.Shown> mine = disclosed.shown().stream()
                .filter(s -> s.grant().grantId().equals(grant.grantId()))
                .toList();
        return mine.size() == 1 ? mine.get(0) : null;
    }

    private static AccessRecord entry(
            RequestDetails request,
            AppToken token,
            ActiveGrant grant,
            String purpose,
            String resourceType,
            List<UUID> ids,
            List<String> fields,
            String outcome) {
        return new AccessRecord(
                AccessRecord.ActorKind.APP,
                token.appId(),
                "APP",
                grant.grantId(),
                grant.organizationId(),
                route(request),
                purpose,
                resourceType,
                ids,
                fields,
                outcome);
    }

    /** The HAPI operation as the journal names it: verb, resource type, and {@code {id}} when one was given. */
    static String route(RequestDetails request) {
        StringBuilder route = new StringBuilder(request.getRequestType().name()).append(" /fhir");
        if (request.getResourceName() != null) {
            route.append('/').append(request.getResourceName());
        }
        if (request.getId() != null && request.getId().hasIdPart()) {
            route.append("/{id}");
        }
        if (request.getOperation() != null) {
            route.append('/').append(request.getOperation());
        }
        return route.toString();
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    boolean refused(RequestDetails request, BaseServerResponseException exception) {
        int status = exception.getStatusCode();
        if (status != 404 && status != 403) {
            return true;
        }
        AppToken token;
        try {
            token = AppToken.current(registry);
        } catch (AuthenticationException e) {
            return true;
        }
        for (ActiveGrant grant : token.grants()) {
            try {
                guard.refused(call(token, grant));
            } catch (AccessContained e) {
                // Contained: the grant is suspended; this answer is a refusal anyway.
                return true;
            }
        }
        return true;
    }

    /** With one grant, everything shown is that grant's; with several, each organization claims its own. */
    private List<UUID> ofGrant(AppToken token, ActiveGrant grant, String table, List<UUID> ids) {
        if (ids.isEmpty() || token.grants().size() == 1) {
            return ids;
        }
        return scope.read(
                // Acting through the grant, as the answer was read: decoys shown to it are its own too.
                new Caller.App(grant.organizationId(), grant.grantId()),
                () -> jdbc.sql("SELECT id FROM " + table + " WHERE id = ANY (:ids)")
                        .param("ids", ids.toArray(UUID[]::new))
                        .query(UUID.class)
                        .list());
    }

    /** The guard's view of a call through {@code grant}, knowing every grant the app acts through. */
    private static AppCall call(AppToken token, ActiveGrant grant) {
        return new AppCall(
                token.appId(),
                grant.grantId(),
                grant.organizationId(),
                grant.limits(),
                token.grants().stream().map(ActiveGrant::limits).toList());
    }

    private static void collect(
            IBaseResource resource,
            List<UUID> appointments,
            Set<UUID> patients,
            List<UUID> distant,
            Instant distantPast) {
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() != null) {
                    collect(entry.getResource(), appointments, patients, distant, distantPast);
                }
            }
        } else if (resource instanceof Appointment appointment) {
            uuid(appointment.getIdElement().getIdPart(), appointments);
            if (appointment.getStart() != null
                    && appointment.getStart().toInstant().isBefore(distantPast)) {
                uuid(appointment.getIdElement().getIdPart(), distant);
            }
            for (Appointment.AppointmentParticipantComponent p : appointment.getParticipant()) {
                if ("Patient".equals(p.getActor().getReferenceElement().getResourceType())) {
                    uuid(p.getActor().getReferenceElement().getIdPart(), patients);
                }
            }
        } else if (resource instanceof Patient patient) {
            uuid(patient.getIdElement().getIdPart(), patients);
        }
    }

    private static void uuid(String value, java.util.Collection<UUID> into) {
        try {
            into.add(UUID.fromString(value));
        } catch (IllegalArgumentException | NullPointerException e) {
            // not one of ours: nothing to count
        }
    }

    /**
     * The window a {@code date} search asked for, read as the search itself read it; null when it
     * has no lower and upper bound.
     */
    private Instant[] window(String[] values) {
        if (values == null) {
            return null;
        }
        DateParam lower = null;
        DateParam upper = null;
        for (String value : values) {
            DateParam param = new DateParam(value);
            if (param.getValue() == null || param.getPrefix() == null) {
                continue;
            }
            switch (param.getPrefix()) {
                case GREATERTHAN, GREATERTHAN_OR_EQUALS, STARTS_AFTER -> lower = param;
                case LESSTHAN, LESSTHAN_OR_EQUALS, ENDS_BEFORE -> upper = param;
                default -> {}
            }
        }
        if (lower == null || upper == null) {
            return null;
        }
        TimeWindow searched = FhirSearch.window(
                new DateRangeParam(lower, upper), Appointment.SP_DATE, dayZone, FhirAppointments.MAX_WINDOW_DAYS);
        return new Instant[] {searched.from(), searched.to()};
    }

    private static void guarded(RequestDetails request, Runnable work) {
        try {
            work.run();
        } catch (AccessContained | QuotaExceeded e) {
            throw answer(request, e);
        }
    }

    private static BaseServerResponseException answer(RequestDetails request, RuntimeException e) {
        if (e instanceof QuotaExceeded quota) {
            if (request instanceof ServletRequestDetails servlet) {
                servlet.getServletResponse().setHeader("Retry-After", Long.toString(quota.retryAfterSeconds()));
            }
            return new BaseServerResponseException(429, quota.getMessage()) {};
        }
        return new AuthenticationException(e.getMessage());
    }
}
