package org.creneau.apps.internal;

import java.net.URI;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.guard.GrantLimits;
import org.creneau.guard.LimitAboveCeiling;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization admin decides which connected apps reach the organization's data, with which
 * scopes and on which agendas. Other staff get 404, as on every admin route.
 */
@RestController
@RequestMapping("/api/v1/staff/connected-app-grants")
class AppGrantController {

    private final AccessPolicy policy;
    private final AppGrants grants;

    AppGrantController(AccessPolicy policy, AppGrants grants) {
        this.policy = policy;
        this.grants = grants;
    }

    @PostMapping
    ResponseEntity<AppGrants.Grant> grant(@RequestBody AppGrants.NewGrant body) {
        return ResponseEntity.status(201).body(grants.grant(AppGrants.Grantor.admin(policy.requireOrgAdmin()), body));
    }

    @GetMapping
    Page<AppGrants.Grant> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return grants.list(AppGrants.Grantor.admin(policy.requireOrgAdmin()), Paging.of(page, size));
    }

    @PostMapping("/{grantId}/suspend")
    AppGrants.Grant suspend(@PathVariable UUID grantId) {
        return grants.suspend(AppGrants.Grantor.admin(policy.requireOrgAdmin()), grantId);
    }

    @PostMapping("/{grantId}/resume")
    AppGrants.Grant resume(@PathVariable UUID grantId) {
        return grants.resume(AppGrants.Grantor.admin(policy.requireOrgAdmin()), grantId);
    }

    @PostMapping("/{grantId}/revoke")
    AppGrants.Grant revoke(@PathVariable UUID grantId) {
        return grants.revoke(AppGrants.Grantor.admin(policy.requireOrgAdmin()), grantId);
    }

    /** Every threshold of the guard for the grant, and its allowed hours; a missing value means the default. */
    record Limits(
            Integer newPatientsPer10Minutes,
            Integer patientsPerHour,
            Integer patientsPerDay,
            Integer appointmentsPerHour,
            Integer appointmentsPerDay,
            Integer requestsPerMinute,
            Integer searchesPer10Minutes,
            Integer searchWindowsPerHour,
            Integer unseenReadsPerHour,
            Integer refusalsPer10Minutes,
            Integer distantPastPerDay,
            Integer patientSharePercent,
            String allowedFrom,
            String allowedTo,
            String timeZone) {

        GrantLimits parse() {
            positive("newPatientsPer10Minutes", newPatientsPer10Minutes);
            positive("patientsPerHour", patientsPerHour);
            positive("patientsPerDay", patientsPerDay);
            positive("appointmentsPerHour", appointmentsPerHour);
            positive("appointmentsPerDay", appointmentsPerDay);
            positive("requestsPerMinute", requestsPerMinute);
            positive("searchesPer10Minutes", searchesPer10Minutes);
            positive("searchWindowsPerHour", searchWindowsPerHour);
            positive("unseenReadsPerHour", unseenReadsPerHour);
            positive("refusalsPer10Minutes", refusalsPer10Minutes);
            positive("distantPastPerDay", distantPastPerDay);
            positive("patientSharePercent", patientSharePercent);
            if ((allowedFrom == null) != (allowedTo == null) || (allowedFrom == null) != (timeZone == null)) {
                throw new InvalidInputException(
                        "allowedFrom", "give allowedFrom, allowedTo and timeZone together, or none");
            }
            ZoneId zone = null;
            if (timeZone != null) {
                try {
                    zone = ZoneId.of(timeZone);
                } catch (java.time.DateTimeException e) {
                    throw new InvalidInputException("timeZone", "must be a time zone such as Europe/Paris");
                }
            }
            LocalTime from = time("allowedFrom", allowedFrom);
            LocalTime to = time("allowedTo", allowedTo);
            if (from != null && from.equals(to)) {
                throw new InvalidInputException("allowedTo", "must differ from allowedFrom");
            }
            return new GrantLimits(
                    newPatientsPer10Minutes,
                    patientsPerHour,
                    patientsPerDay,
                    appointmentsPerHour,
                    appointmentsPerDay,
                    requestsPerMinute,
                    searchesPer10Minutes,
                    searchWindowsPerHour,
                    unseenReadsPerHour,
                    refusalsPer10Minutes,
                    distantPastPerDay,
                    patientSharePercent,
                    from,
                    to,
                    zone);
        }

        private static void positive(String field, Integer value) {
            if (value != null && (value < 1 || value > 1_000_000)) {
                throw new InvalidInputException(field, "must be between 1 and 1000000");
            }
        }

        private static LocalTime time(String field, String value) {
            if (value == null) {
                return null;
            }
            try {
                return LocalTime.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidInputException(field, "must be a time such as 08:00");
            }
        }
    }

    @PutMapping("/{grantId}/limits")
    AppGrants.Grant limit(@PathVariable UUID grantId, @RequestBody Limits body) {
        return grants.limit(
                AppGrants.Grantor.admin(policy.requireOrgAdmin()),
                grantId,
                body.parse(),
                "PUT /api/v1/staff/connected-app-grants/{grantId}/limits");
    }

    /** Well-formed, but above what the platform lets an organization set: 422, naming the field. */
    @ExceptionHandler(LimitAboveCeiling.class)
    ResponseEntity<ProblemDetail> aboveCeiling(LimitAboveCeiling e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatusCode.valueOf(422), e.field() + " is above the platform's ceiling.");
        problem.setType(URI.create("https://creneau.org/problems/limit-above-ceiling"));
        problem.setTitle("Limit above the platform's ceiling");
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return ResponseEntity.status(422)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
