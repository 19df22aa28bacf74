package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.RequestRefused;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/**
 * The practice pages' answer to something missing or not the person's: the same "not found" page in
 * the workspace's layout, status 404, and the refusal announced like the API's so the journal records
 * the attempt. Each page controller hands its {@link NotFoundException} here from its own
 * {@code @ExceptionHandler}, which Spring prefers to the API's problem advice.
 */
@Component
class WorkspaceErrors {

    private final ApplicationEventPublisher events;
    private final WorkspaceModel layout;

    WorkspaceErrors(ApplicationEventPublisher events, WorkspaceModel layout) {
        this.events = events;
        this.layout = layout;
    }

    ModelAndView notFound(HttpServletRequest request) {
        events.publishEvent(new RequestRefused(request.getMethod(), request.getRequestURI(), 404));
        ModelAndView page = new ModelAndView("practice/not-found");
        page.setStatus(HttpStatus.NOT_FOUND);
        // The layout's model comes from WorkspaceModel, which no exception handler gets by itself.
        page.addObject("languageLinks", layout.languageLinks(request));
        page.addObject("navigation", layout.navigation());
        return page;
    }
}
