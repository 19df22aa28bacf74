package org.creneau.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;

/**
 * The one error format of the JSON API: RFC 9457 problem details, naming the field at fault for
 * bad input, with no stack trace and no internal detail.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException e) {
        return badRequest(List.of(new FieldError(e.field(), e.getMessage())));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException e) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldError(f.getField(), f.getDefaultMessage()))
                .toList();
        return badRequest(errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameter(HandlerMethodValidationException e) {
        List<FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> new FieldError(r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        return badRequest(errors);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> invalidConstraint(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return badRequest(errors);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return badRequest(List.of(new FieldError(e.getName(), "has an invalid value")));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return badRequest(List.of(new FieldError(e.getParameterName(), "is required")));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        String field = "body";
        Throwable cause = e.getCause();
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse("body");
            return badRequest(List.of(new FieldError(field, "has an invalid value")));
        }
        return badRequest(List.of(new FieldError(field, "is not readable JSON")));
    }

    private final org.springframework.context.ApplicationEventPublisher events;

    ApiProblems(org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
    }

    private void refused(int status) {
        var attributes = org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
        if (attributes instanceof org.springframework.web.context.request.ServletRequestAttributes servlet) {
            HttpServletRequest request = servlet.getRequest();
            events.publishEvent(new RequestRefused(request.getMethod(), request.getRequestURI(), status));
        }
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        refused(404);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setType(URI.create("https://creneau.org/problems/not-found"));
        problem.setTitle("Not found");
        return respond(problem);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://creneau.org/problems/" + e.code()));
        problem.setTitle("Conflict");
        problem.setProperty("code", e.code());
        return respond(problem);
    }

    @ExceptionHandler(UnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(UnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setType(URI.create("https://creneau.org/problems/" + e.code()));
        problem.setTitle("Unavailable");
        problem.setProperty("code", e.code());
        ResponseEntity<ProblemDetail> answer = respond(problem);
        HttpHeaders headers = new HttpHeaders(answer.getHeaders());
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return new ResponseEntity<>(answer.getBody(), headers, answer.getStatusCode());
    }

    @ExceptionHandler(org.springframework.jdbc.BadSqlGrammarException.class)
    ResponseEntity<ProblemDetail> refusedByDatabase(
            org.springframework.jdbc.BadSqlGrammarException e, HttpServletRequest request) {
        if ("42501".equals(e.getSQLException().getSQLState())) {
            // Row-level security refused a row of another organization: the same answer as absent.
            log.warn("Row-level security refused a write on {} {}", request.getMethod(), request.getRequestURI());
            return notFound(new NotFoundException("resource"));
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        if (DatabaseRefusal.isInvalidValue(e)) {
            // SQL state class 22 (data exception): a value the database cannot take, such as a NUL
            // character or a number out of range. Bad input, not a conflict; the SQL text stays here.
            return badRequest(
                    List.of(new FieldError("request", "holds a value out of range or a character not allowed")));
        }
        log.info("Refused by a database constraint: {}", e.getClass().getSimpleName());
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "The change conflicts with existing data.");
        problem.setType(URI.create("https://creneau.org/problems/conflict"));
        problem.setTitle("Conflict");
        return respond(problem);
    }

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> unreadableParameters(InvalidParameterException e, HttpServletRequest request) {
        // Tomcat could not decode the query or form (invalid UTF-8, too many parameters); its message
        // quotes the raw value, so it is not repeated.
        int status = e.getErrorCode() > 0 ? e.getErrorCode() : 400;
        if (status == 400) {
            return badRequest(
                    List.of(new FieldError("query", "holds parameters that cannot be read (invalid UTF-8?)")));
        }
        log.warn("Refused unreadable parameters on {} {}: {}", request.getMethod(), request.getRequestURI(), status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatusCode.valueOf(status), "The request has parameters that cannot be read.");
        return respond(problem);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        log.warn("Refused a body over {} bytes on {} {}", e.limit(), request.getMethod(), request.getRequestURI());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, "The request body may hold at most " + e.limit() + " bytes.");
        problem.setType(URI.create("https://creneau.org/problems/body-too-large"));
        problem.setTitle("Body too large");
        return respond(problem);
    }

    /**
     * The firewall checks parameter names and values when they are first read, which for a form body
     * is inside a handler: a value it refuses (unassigned or control characters) is bad input, not
     * an error of ours.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
        // The refused value may hold anything: only the route is logged.
        log.warn("Refused by the firewall: a parameter on {} {}", request.getMethod(), request.getRequestURI());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, "The request holds characters that are not allowed.");
        problem.setTitle("Bad Request");
        return respond(problem);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        refused(403);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "This request is not allowed.");
        problem.setTitle("Forbidden");
        return respond(problem);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, "Sign in first.");
        problem.setTitle("Unauthorized");
        return respond(problem);
    }

    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class})
    ResponseEntity<ProblemDetail> framework(ErrorResponse e) {
        // The framework's own headers (Allow on a 405) go with its answer.
        ResponseEntity<ProblemDetail> answer = respond(e.getBody());
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(answer.getHeaders());
        headers.putAll(e.getHeaders());
        return new ResponseEntity<>(answer.getBody(), headers, answer.getStatusCode());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse framework) {
            HttpStatusCode status = framework.getStatusCode();
            ProblemDetail problem = ProblemDetail.forStatus(status);
            problem.setDetail(
                    status.is4xxClientError() ? "The request was refused." : "The request could not be served.");
            return respond(problem);
        }
        // The stack trace goes to the log only; the caller learns nothing internal.
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be served.");
        problem.setTitle("Internal error");
        return respond(problem);
    }

    private static ResponseEntity<ProblemDetail> badRequest(List<FieldError> errors) {
        // One line, no stack trace: bad input is the caller's, and a flood of it must not bury real failures.
        log.warn(
                "Refused bad input on {}: {}",
                currentRoute(),
                errors.stream().map(FieldError::field).toList());
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request has invalid fields.");
        problem.setType(URI.create("https://creneau.org/problems/invalid-input"));
        problem.setTitle("Invalid input");
        problem.setProperty(
                "errors",
                errors.stream()
                        .map(f ->
                                Map.of("field", f.field(), "message", f.message() == null ? "is invalid" : f.message()))
                        .toList());
        return respond(problem);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        return new ResponseEntity<>(problem, headers, HttpStatusCode.valueOf(problem.getStatus()));
    }

    private static String currentRoute() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
            return servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI();
        }
        return "a request";
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private record FieldError(String field, String message) {}
}
