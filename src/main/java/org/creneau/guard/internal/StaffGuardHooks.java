package org.creneau.guard.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.journal.Journaled;
import org.creneau.patients.PatientFileSearched;
import org.creneau.platform.Page;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Where the staff guard sees what an account is shown, declared once: the handlers declared {@link
 * Journaled} (JSON API and pages alike), read from the same answer the journal records, before it
 * leaves and before the journal's own hooks (an answer the guard withholds was not shown); and the
 * patient file's name searches, from {@link PatientFileSearched}. Every request of a contained staff
 * account is refused before its handler runs.
 */
@Configuration(proxyBeanMethods = false)
class StaffGuardHooks implements WebMvcConfigurer {

    private final StaffGuard guard;
    private final AccessPolicy policy;

    StaffGuardHooks(StaffGuard guard, AccessPolicy policy) {
        this.guard = guard;
        this.policy = policy;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                        if (handler instanceof HandlerMethod && policy.currentCaller() instanceof Caller.Staff staff) {
                            guard.requireNotContained(staff);
                        }
                        return true;
                    }

                    @Override
                    public void postHandle(
                            HttpServletRequest request,
                            HttpServletResponse response,
                            Object handler,
                            ModelAndView page) {
                        if (handler instanceof HandlerMethod method && page != null) {
                            Journaled declared = method.getMethodAnnotation(Journaled.class);
                            if (declared != null && !declared.model().isEmpty()) {
                                Object shown = page.getModel().get(declared.model());
                                if (shown == null) {
                                    shown = RequestContextUtils.getOutputFlashMap(request)
                                            .get(declared.model());
                                }
                                observe(declared, shown);
                            }
                        }
                    }
                })
                // After the journal's page hook in the chain, so that its postHandle runs first (in reverse).
                .order(Ordered.LOWEST_PRECEDENCE);
    }

    @EventListener
    void on(PatientFileSearched searched) {
        if (policy.currentCaller() instanceof Caller.Staff staff
                && staff.accountId().equals(searched.accountId())
                && staff.organizationId().equals(searched.organizationId())) {
            guard.searched(staff, searched.namePrefix());
        }
    }

    /** The JSON API's answers, seen before the journal's hook records them. */
    @ControllerAdvice
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class Answers implements ResponseBodyAdvice<Object> {

        private final StaffGuardHooks hooks;

        Answers(StaffGuardHooks hooks) {
            this.hooks = hooks;
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
            if (declared != null) {
                hooks.observe(declared, body);
            }
            return body;
        }
    }

    void observe(Journaled declared, Object shown) {
        if (shown == null || !(policy.currentCaller() instanceof Caller.Staff staff)) {
            return;
        }
        List<UUID> patients = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        views(shown).forEach(view -> {
            if (declared.resource() == Journaled.Resource.PATIENT
                    && component(view, declared.idField()) instanceof UUID id) {
                patients.add(id);
            }
            if (component(view, "orgPatientId") instanceof UUID patient) {
                patients.add(patient);
            }
            if (declared.resource() == Journaled.Resource.APPOINTMENT
                    && component(view, "start") instanceof Instant start) {
                starts.add(start);
            }
        });
        guard.shown(staff, patients, starts);
    }

    private static Stream<?> views(Object shown) {
        if (shown instanceof Page<?> page) {
            return page.items().stream();
        }
        if (shown instanceof Collection<?> items) {
            return items.stream();
        }
        return Stream.of(shown);
    }

    /** A record component of a view by name, or null. */
    private static Object component(Object view, String name) {
        if (view instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (c.getName().equals(name)) {
                    try {
                        var accessor = c.getAccessor();
                        accessor.setAccessible(true);
                        return accessor.invoke(record);
                    } catch (ReflectiveOperationException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
