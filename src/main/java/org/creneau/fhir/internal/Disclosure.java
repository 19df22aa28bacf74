package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.creneau.apps.ActiveGrant;

/**
 * What a FHIR operation is about to disclose, declared by its provider in the request: purpose,
 * resource type, field names, outcome, and the identifiers shown per grant. The provider never
 * writes the journal; {@link FhirGuard} records one entry per grant from this declaration once the
 * answer has passed the guard, or one {@code WITHHELD} entry when the guard stops it.
 */
final class Disclosure {

    private static final String KEY = Disclosure.class.getName();

    /** The identifiers one grant is shown. */
    record Shown(ActiveGrant grant, List<UUID> ids) {}

    private final String purpose;
    private final String resourceType;
    private final List<String> fields;
    private final String outcome;
    private final List<Shown> shown = new ArrayList<>();

    private Disclosure(String purpose, String resourceType, List<String> fields, String outcome) {
        this.purpose = purpose;
        this.resourceType = resourceType;
        this.fields = List.copyOf(fields);
        this.outcome = outcome;
    }

    /** Declares what this request discloses; a later declaration replaces an earlier one. */
    static Disclosure declare(
            RequestDetails request, String purpose, String resourceType, List<String> fields, String outcome) {
        Disclosure disclosure = new Disclosure(purpose, resourceType, fields, outcome);
        request.getUserData().put(KEY, disclosure);
        return disclosure;
    }

    /** What the request declared, or null when it disclosed nothing the journal names. */
    static Disclosure of(RequestDetails request) {
        return request.getUserData().get(KEY) instanceof Disclosure disclosure ? disclosure : null;
    }

    /** Adds what one grant is shown. */
    Disclosure shown(ActiveGrant grant, List<UUID> ids) {
        shown.add(new Shown(grant, List.copyOf(ids)));
        return this;
    }

    String purpose() {
        return purpose;
    }

    String resourceType() {
        return resourceType;
    }

    List<String> fields() {
        return fields;
    }

    String outcome() {
        return outcome;
    }

    List<Shown> shown() {
        return List.copyOf(shown);
    }
}
