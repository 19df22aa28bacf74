package org.creneau.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.platform.Page;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every JSON API handler that reads or writes patient or appointment data declares how it is
 * journaled, found from the application's own handler mappings so that a new route cannot be
 * forgotten.
 */
@IntegrationTest
class JournalDeclarationTests {

    /** The modules that own appointments and the patient file: every handler of theirs touches them. */
    static final List<String> DATA_MODULES = List.of("org.creneau.booking.", "org.creneau.patients.");

    /** Fields by which an answer from any other module names a patient or an appointment. */
    static final Set<String> DATA_FIELDS =
            Set.of("patientId", "orgPatientId", "appointmentId", "offeredAppointmentId", "relativeId");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Route(String route, HandlerMethod handler) {
        @Override
        public String toString() {
            return route + " -> " + handler.getBeanType().getSimpleName() + "."
                    + handler.getMethod().getName();
        }
    }

    List<Route> apiRoutes() {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
                mappings.getHandlerMethods().entrySet()) {
            for (String pattern : mapping.getKey().getPatternValues()) {
                if (pattern.startsWith("/api/")) {
                    routes.add(new Route(
                            mapping.getKey().getMethodsCondition().getMethods() + " " + pattern, mapping.getValue()));
                }
            }
        }
        return routes;
    }

    static boolean touchesPatientOrAppointmentData(HandlerMethod handler) {
        String type = handler.getBeanType().getName();
        if (DATA_MODULES.stream().anyMatch(type::startsWith)) {
            return true;
        }
        Class<?> view = view(ResolvableType.forMethodReturnType(handler.getMethod()));
        return view.isRecord()
                && Arrays.stream(view.getRecordComponents())
                        .map(RecordComponent::getName)
                        .anyMatch(DATA_FIELDS::contains);
    }

    /** The record a handler answers with, through ResponseEntity, Page and List. */
    static Class<?> view(ResolvableType type) {
        while (HttpEntity.class.isAssignableFrom(type.toClass())
                || Page.class.isAssignableFrom(type.toClass())
                || Collection.class.isAssignableFrom(type.toClass())) {
            type = type.getGeneric(0);
        }
        return type.toClass();
    }

    @Test
    void everyHandlerThatTouchesPatientOrAppointmentDataDeclaresItsJournaling() {
        List<Route> touching = apiRoutes().stream()
                .filter(r -> touchesPatientOrAppointmentData(r.handler()))
                .toList();
        assertThat(touching)
                .as("the walk finds the desk's booking, so it walks what the application serves")
                .anyMatch(r -> r.route().contains("/api/v1/staff/agendas/{practitionerId}/appointments"));

        assertThat(touching)
                .filteredOn(r -> !r.handler().hasMethodAnnotation(Journaled.class)
                        && !r.handler().hasMethodAnnotation(NotJournaled.class))
                .as("handlers touching patient or appointment data with neither @Journaled nor @NotJournaled")
                .isEmpty();
    }

    @Test
    void everyDeclarationNamesAnIdentifierTheAnswerCarries() {
        List<Route> declared = apiRoutes().stream()
                .filter(r -> r.handler().hasMethodAnnotation(Journaled.class))
                .toList();
        assertThat(declared).isNotEmpty();
        assertThat(declared)
                .filteredOn(r -> {
                    Journaled journaled = r.handler().getMethodAnnotation(Journaled.class);
                    Class<?> view =
                            view(ResolvableType.forMethodReturnType(r.handler().getMethod()));
                    return !view.isRecord()
                            || Arrays.stream(view.getRecordComponents())
                                    .noneMatch(
                                            c -> c.getName().equals(journaled.idField()) && c.getType() == UUID.class);
                })
                .as("journaled handlers whose answer has no UUID component named by idField")
                .isEmpty();
    }

    @Test
    void noHandlerIsBothJournaledAndExempted() {
        assertThat(apiRoutes())
                .filteredOn(r -> r.handler().hasMethodAnnotation(Journaled.class)
                        && r.handler().hasMethodAnnotation(NotJournaled.class))
                .isEmpty();
    }
}
