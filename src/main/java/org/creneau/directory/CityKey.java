package org.creneau.directory;

import java.text.Normalizer;
import java.util.Locale;

/** A city name reduced to a search key: no accents, no case, words joined by dashes. */
public final class CityKey {

    private CityKey() {}

    public static String of(String city) {
        String plain = Normalizer.normalize(city.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
