package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.creneau.directory.Specialty;
import org.junit.jupiter.api.Test;

/** A typed specialty is matched without accents or case, and ambiguous beginnings name none. */
class SpecialtyMatchTests {

    static final List<Specialty> SPECIALTIES = List.of(
            new Specialty("medecin-generaliste", "Médecin généraliste"),
            new Specialty("pediatre", "Pédiatre"),
            new Specialty("psychiatre", "Psychiatre"),
            new Specialty("orl", "Oto-rhino-laryngologiste (ORL)"));

    @Test
    void pediatreWithoutAccentNamesPediatre() {
        assertThat(SpecialtyMatch.resolve(SPECIALTIES, "pediatre"))
                .map(Specialty::code)
                .hasValue("pediatre");
        assertThat(SpecialtyMatch.resolve(SPECIALTIES, "  MÉDECIN généraliste "))
                .map(Specialty::code)
                .hasValue("medecin-generaliste");
        assertThat(SpecialtyMatch.resolve(SPECIALTIES, "orl"))
                .map(Specialty::code)
                .hasValue("orl");
    }

    @Test
    void aBeginningNamesASpecialtyOnlyWhenItIsTheOnlyOneStartingSo() {
        assertThat(SpecialtyMatch.resolve(SPECIALTIES, "medecin"))
                .map(Specialty::code)
                .hasValue("medecin-generaliste");
        assertThat(SpecialtyMatch.resolve(SPECIALTIES, "p")).isEmpty();
        assertThat(SpecialtyMatch.resolve(SPECIALTIES, "")).isEmpty();
    }

    @Test
    void suggestionsHoldTheTypedTextAccentsAsideThoseStartingWithItFirst() {
        assertThat(SpecialtyMatch.suggest(SPECIALTIES, "iatre"))
                .extracting(Specialty::label)
                .containsExactly("Pédiatre", "Psychiatre");
        assertThat(SpecialtyMatch.suggest(SPECIALTIES, "ps"))
                .extracting(Specialty::label)
                .containsExactly("Psychiatre");
        assertThat(SpecialtyMatch.suggest(SPECIALTIES, "pédia"))
                .extracting(Specialty::label)
                .containsExactly("Pédiatre");
        assertThat(SpecialtyMatch.suggest(SPECIALTIES, "rhino"))
                .extracting(Specialty::code)
                .containsExactly("orl");
    }
}
