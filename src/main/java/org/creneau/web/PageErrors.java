package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.creneau.platform.RequestRefused;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The pages' answer to what the JSON API answers as a problem: a page in the visitor's language.
 * A missing appointment and another patient's one get the same 404 page, and the refusal is
 * announced like the API's, so the journal records the attempt.
 */
@Component
class PageErrors {

    private final ApplicationEventPublisher events;

    PageErrors(ApplicationEventPublisher events) {
        this.events = events;
    }

    String notFound(HttpServletRequest request, HttpServletResponse response) {
        events.publishEvent(new RequestRefused(request.getMethod(), request.getRequestURI(), 404));
        response.setStatus(404);
        return "not-found";
    }
}
