package org.creneau.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.creneau.platform.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RppsNumberTest {

    @Test
    void withCheckDigitAppendsTheLuhnDigitAndRoundTrips() {
        RppsNumber made = RppsNumber.withCheckDigit("1000000001");

        // From the right, the check digit is kept, the final 1 doubled (2) and the leading 1 kept:
        // 7 + 2 + 1 = 10.
        assertThat(made.value()).isEqualTo("10000000017");
        assertThat(new RppsNumber(made.value())).isEqualTo(made);
        assertThat(made.toString()).isEqualTo("10000000017");
    }

    @Test
    void knownValidNumberIsAccepted() {
        // 79927398713 is the textbook Luhn example, and it happens to have 11 digits.
        assertThat(new RppsNumber("79927398713").value()).isEqualTo("79927398713");
        assertThat(RppsNumber.withCheckDigit("7992739871")).isEqualTo(new RppsNumber("79927398713"));
        assertThat(new RppsNumber("00000000000").value()).isEqualTo("00000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1000000001", "100000000170", "1000000001A", "10000000 17", "+1000000001"})
    @NullSource
    void malformedNumberIsRefusedNamingRpps(String value) {
        assertThatThrownBy(() -> new RppsNumber(value))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("rpps"))
                .hasMessageContaining("11 digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000000010", "10000000018", "10000000019", "79927398710"})
    void wrongCheckDigitIsRefusedNamingRpps(String value) {
        assertThatThrownBy(() -> new RppsNumber(value))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("rpps"))
                .hasMessageContaining("check digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"100000000", "10000000011", "100000000A"})
    @NullSource
    void withCheckDigitRefusesAnythingButTenDigits(String tenDigits) {
        assertThatThrownBy(() -> RppsNumber.withCheckDigit(tenDigits))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("rpps"));
    }
}
