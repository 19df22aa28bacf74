package org.creneau.apps;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.creneau.platform.InvalidInputException;

/**
 * One SMART v2 system scope a connected app may hold, such as {@code system/Appointment.rs}. Only
 * the scopes listed here exist; anything else is refused at the edge.
 */
public record SmartScope(String value) {

    /** Every scope the platform knows, in the order it lists them. */
    public static final List<String> ALL = List.of(
            "system/Appointment.rs",
            "system/Appointment.cu",
            "system/Slot.rs",
            "system/Schedule.rs",
            "system/Practitioner.rs",
            "system/PractitionerRole.rs",
            "system/Organization.rs",
            "system/Location.rs",
            "system/HealthcareService.rs",
            "system/Patient.r",
            "system/Subscription.crds");

    public SmartScope {
        if (value == null || !ALL.contains(value)) {
            throw new IllegalArgumentException("unknown scope");
        }
    }

    public static boolean isKnown(String value) {
        return value != null && ALL.contains(value);
    }

    /**
     * Parses a list of scopes given in a request; an empty list or an unknown scope is a 400
     * naming {@code field}. Duplicates collapse.
     */
    public static Set<SmartScope> parseAll(Collection<String> values, String field) {
        if (values == null || values.isEmpty()) {
            throw new InvalidInputException(field, "must name at least one scope");
        }
        Set<SmartScope> scopes = new LinkedHashSet<>();
        for (String v : values) {
            if (!isKnown(v)) {
                throw new InvalidInputException(field, "has an unknown scope; known: " + String.join(" ", ALL));
            }
            scopes.add(new SmartScope(v));
        }
        return scopes;
    }

    public static List<String> values(Collection<SmartScope> scopes) {
        return scopes.stream().map(SmartScope::value).sorted().collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return value;
    }
}
