package org.creneau.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.creneau.platform.InvalidInputException;
import org.junit.jupiter.api.Test;

class SmartScopeTest {

    @Test
    void knownScopesParseAndDuplicatesCollapse() {
        var scopes = SmartScope.parseAll(List.of("system/Slot.rs", "system/Patient.r", "system/Slot.rs"), "scopes");

        assertThat(SmartScope.values(scopes)).containsExactly("system/Patient.r", "system/Slot.rs");
    }

    @Test
    void wildcardsV1FormsAndPatientWritesAreUnknown() {
        for (String scope :
                List.of("system/*.rs", "system/Appointment.read", "system/Patient.rs", "user/Slot.rs", "")) {
            assertThatThrownBy(() -> SmartScope.parseAll(List.of(scope), "scopes"))
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(
                            e -> assertThat(((InvalidInputException) e).field()).isEqualTo("scopes"));
        }
        assertThatThrownBy(() -> new SmartScope("system/Slot.cruds")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyListIsRefused() {
        assertThatThrownBy(() -> SmartScope.parseAll(List.of(), "scopes")).isInstanceOf(InvalidInputException.class);
    }
}
