package org.creneau.journal.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.creneau.access.AccessPolicy;
import org.creneau.journal.Journal;
import org.creneau.journal.Journaled;
import org.creneau.platform.Page;
import org.creneau.platform.RequestRefused;
import org.springframework.context.event.EventListener;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * The JSON API's one journal hook. For a handler declared {@link Journaled}, it records the entry
 * from the matched route pattern, the declaration, and the identifiers in what the handler returned,
 * just before the body is written: the entry is committed in its own transaction first, and if it
 * cannot be, the answer is not sent (the error is). A refusal (404 or 403) of a declared handler is
 * recorded the same way, with the identifier the caller asked for.
 */
@ControllerAdvice
class JournalHook implements ResponseBodyAdvice<Object> {

    private final Journal journal;
    private final AccessPolicy policy;

    JournalHook(Journal journal, AccessPolicy policy) {
        this.journal = journal;
        this.policy = policy;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return returnType.hasMethodAnnotation(Journaled.class);
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        Journaled declared = returnType.getMethodAnnotation(Journaled.class);
        if (declared == null || !(request instanceof ServletServerHttpRequest servlet)) {
            return body;
        }
        journal.record(
                policy.currentCaller(),
                route(servlet.getServletRequest()),
                declared.purpose(),
                declared.resource().recorded(),
                idsIn(body, declared.idField()),
                fieldsOf(returnType),
                declared.outcome().name());
        return body;
    }

    /** A declared handler refused the caller: the attempt on the identifier asked for is recorded. */
    @EventListener
    void on(RequestRefused refused) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return;
        }
        HttpServletRequest request = attributes.getRequest();
        if (!(request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod handler)) {
            return;
        }
        Journaled declared = handler.getMethodAnnotation(Journaled.class);
        UUID asked = askedFor(request);
        if (declared == null || asked == null) {
            return;
        }
        journal.record(
                policy.currentCaller(),
                route(request),
                "refused",
                declared.resource().recorded(),
                List.of(asked),
                List.of(),
                refused.status() == 404 ? "NOT_FOUND" : "FORBIDDEN");
    }

    private static String route(HttpServletRequest request) {
        return request.getMethod() + " " + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    }

    /** The {@code {id}} of the matched route, when it is an identifier. */
    private static UUID askedFor(HttpServletRequest request) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
                && variables.get("id") instanceof String id) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** The identifiers in a returned view, a page or a list of them. */
    static List<UUID> idsIn(Object body, String idField) {
        Stream<?> views;
        if (body == null) {
            views = Stream.empty();
        } else if (body instanceof Page<?> page) {
            views = page.items().stream();
        } else if (body instanceof Collection<?> items) {
            views = items.stream();
        } else {
            views = Stream.of(body);
        }
        return views.map(view -> idOf(view, idField)).toList();
    }

    private static UUID idOf(Object view, String idField) {
        if (view instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (component.getName().equals(idField)) {
                    try {
                        var accessor = component.getAccessor();
                        accessor.setAccessible(true);
                        if (accessor.invoke(record) instanceof UUID id) {
                            return id;
                        }
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + idField + " of " + view.getClass(), e);
                    }
                }
            }
        }
        // A declared handler whose answer names no identifier is a declaration error: nothing is sent.
        throw new IllegalStateException("a journaled answer carries no UUID " + idField + ": "
                + view.getClass().getName());
    }

    /** The names of the fields of the view the handler is declared to return, even when none is. */
    static List<String> fieldsOf(MethodParameter returnType) {
        ResolvableType type = ResolvableType.forMethodReturnType(returnType.getMethod());
        while (HttpEntity.class.isAssignableFrom(type.toClass())
                || Page.class.isAssignableFrom(type.toClass())
                || Collection.class.isAssignableFrom(type.toClass())) {
            type = type.getGeneric(0);
        }
        Class<?> view = type.toClass();
        return view.isRecord() ? Journal.fieldsOf(view.asSubclass(Record.class)) : List.of();
    }
}
