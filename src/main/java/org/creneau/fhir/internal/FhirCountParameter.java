package org.creneau.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code _count} given more than once is a 400 before any search runs: HAPI and the search read
 * different ones of its values, so the page and its links disagreed (a negative {@code _offset}).
 */
@Interceptor
class FhirCountParameter {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    boolean onlyOneCount(HttpServletRequest request) {
        String[] counts = request.getParameterValues(Constants.PARAM_COUNT);
        if (counts != null && counts.length > 1) {
            throw new InvalidRequestException(Constants.PARAM_COUNT + " may be given once");
        }
        return true;
    }
}
