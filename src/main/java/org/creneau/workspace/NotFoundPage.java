package org.creneau.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.creneau.platform.RequestRefused;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The workspace's answer to what the JSON API answers 404: an agenda or a patient without the right
 * gets the same page as a missing one, and the refusal is announced like the API's, so the journal
 * records the attempt.
 */
@Component
class NotFoundPage {

    private final ApplicationEventPublisher events;
    private final WorkspaceModel layout;

    NotFoundPage(ApplicationEventPublisher events, WorkspaceModel layout) {
        this.events = events;
        this.layout = layout;
    }

    /** For an exception handler, whose model starts empty: the layout's attributes are added here. */
    String answer(HttpServletRequest request, HttpServletResponse response, Model model) {
        events.publishEvent(new RequestRefused(request.getMethod(), request.getRequestURI(), 404));
        model.addAttribute("languageLinks", layout.languageLinks(request));
        model.addAttribute("navigation", layout.navigation());
        response.setStatus(404);
        return "practice/not-found";
    }
}
