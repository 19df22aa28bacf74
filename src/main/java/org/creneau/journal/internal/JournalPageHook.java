package org.creneau.journal.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.List;
import org.creneau.access.AccessPolicy;
import org.creneau.journal.Journal;
import org.creneau.journal.Journaled;
import org.creneau.platform.Page;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The pages' journal hook, the twin of {@link JournalHook} for handlers that answer with a view:
 * for a page handler declared {@link Journaled}, it records the entry from the matched route, the
 * declaration and the identifiers of the model attribute it names (or, after a redirect, of the
 * flash attribute handed to the next page), after the handler and before the page is rendered. If
 * the entry cannot be committed, the page is not sent; an answer without that attribute (a redirect
 * to sign in, a refusal in words) showed none of the data and leaves no entry. A refused page is recorded by {@link
 * JournalHook}'s listener, as for the API.
 */
@Configuration(proxyBeanMethods = false)
class JournalPageHook implements WebMvcConfigurer {

    private final Journal journal;
    private final AccessPolicy policy;

    JournalPageHook(Journal journal, AccessPolicy policy) {
        this.journal = journal;
        this.policy = policy;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void postHandle(
                    HttpServletRequest request,
                    HttpServletResponse response,
                    Object handler,
                    ModelAndView modelAndView) {
                record(request, response, handler, modelAndView);
            }
        });
    }

    void record(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView page) {
        if (!(handler instanceof HandlerMethod method) || page == null) {
            return;
        }
        Journaled declared = method.getMethodAnnotation(Journaled.class);
        if (declared == null || declared.model().isEmpty()) {
            return;
        }
        Object shown = page.getModel().get(declared.model());
        if (shown == null) {
            shown = RequestContextUtils.getOutputFlashMap(request).get(declared.model());
        }
        if (shown == null) {
            // This answer (a redirect, a sign-in form, a refusal in words) shows none of the data.
            return;
        }
        // A change refused in words (the page shown again with its error, 4xx) changed nothing: it
        // showed the data, so it is recorded, as a read.
        Journaled.Outcome outcome = response.getStatus() >= 400 ? Journaled.Outcome.READ : declared.outcome();
        journal.record(
                policy.currentCaller(),
                request.getMethod() + " " + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE),
                declared.purpose(),
                declared.resource().recorded(),
                JournalHook.idsIn(shown, declared.idField()),
                fieldsOf(shown),
                outcome.name());
    }

    /** The names of the fields of the shown view, of the first one of a page or list. */
    static List<String> fieldsOf(Object shown) {
        Object view = shown;
        if (shown instanceof Page<?> page) {
            view = page.items().isEmpty() ? null : page.items().get(0);
        } else if (shown instanceof Collection<?> items) {
            view = items.isEmpty() ? null : items.iterator().next();
        }
        return view instanceof Record record ? Journal.fieldsOf(record.getClass()) : List.of();
    }
}
