package org.creneau.web;

import java.util.List;
import java.util.Optional;
import org.creneau.directory.CityKey;
import org.creneau.directory.Specialty;

/**
 * What a patient types for a specialty, matched without accents or case ("pediatre" finds
 * Pédiatre): the specialty it names, and the suggestions while typing.
 */
final class SpecialtyMatch {

    static final int MAX_SUGGESTIONS = 8;

    private SpecialtyMatch() {}

    /** The specialty the text names: its code, its label, or the only label starting with it. */
    static Optional<Specialty> resolve(List<Specialty> specialties, String typed) {
        String key = CityKey.of(typed);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Optional<Specialty> exact = specialties.stream()
                .filter(s -> s.code().equals(typed) || CityKey.of(s.label()).equals(key))
                .findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        List<Specialty> starting = specialties.stream()
                .filter(s -> CityKey.of(s.label()).startsWith(key))
                .toList();
        return starting.size() == 1 ? Optional.of(starting.get(0)) : Optional.empty();
    }

    /** Specialties whose label holds the typed text (accents and case aside), those starting with it first. */
    static List<Specialty> suggest(List<Specialty> specialties, String typed) {
        String key = CityKey.of(typed);
        if (key.isEmpty()) {
            return List.of();
        }
        return specialties.stream()
                .filter(s -> CityKey.of(s.label()).contains(key))
                .sorted((a, b) -> Boolean.compare(
                        !CityKey.of(a.label()).startsWith(key),
                        !CityKey.of(b.label()).startsWith(key)))
                .limit(MAX_SUGGESTIONS)
                .toList();
    }
}
