package org.creneau.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.creneau.platform.BodyTooLargeException;
import org.creneau.platform.DatabaseRefusal;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad input that surfaces below HAPI's own checks becomes the 400 (or 413) OperationOutcome HAPI
 * gives for its own refusals, logged by HAPI as one warning line: an unparseable date or number
 * (HAPI would log it as a failure with its stack trace), a value our platform refuses, a value the
 * database refuses, a body over the cap. It runs before HAPI's exception handler, whose first
 * translation wins. Anything else is a real failure, logged once here with its stack trace and
 * answered 500 with a generic message: HAPI's own answer would quote the exception's message (SQL
 * included) in the OperationOutcome.
 */
@Interceptor(order = -1000)
class FhirRefusals {

    private static final Logger log = LoggerFactory.getLogger(FhirRefusals.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    BaseServerResponseException translate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return new PayloadTooLargeException("the request body may hold at most " + tooLarge.limit() + " bytes");
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnavailableException unavailable) {
                return new UnclassifiedServerFailureException(503, unavailable.getMessage());
            }
        }
        if (failure instanceof BaseServerResponseException) {
            return null;
        }
        if (failure instanceof DataFormatException) {
            // HAPI's message quotes the value at fault after its own message code, which is no one's business.
            return new InvalidRequestException(
                    String.valueOf(failure.getMessage()).replaceFirst("^HAPI-\\d+: ", ""));
        }
        if (failure instanceof InvalidInputException invalid) {
            return new InvalidRequestException(invalid.field() + " " + invalid.getMessage());
        }
        if (failure instanceof InvalidParameterException) {
            return new InvalidRequestException("the request has parameters that cannot be read");
        }
        if (DatabaseRefusal.isInvalidValue(failure)) {
            return new InvalidRequestException("a value is out of range or holds a character not allowed");
        }
        log.error("Failure during FHIR processing", failure);
        return new InternalErrorException("An internal error occurred; it has been logged.");
    }
}
