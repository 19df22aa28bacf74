package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Phone numbers to E.164: French by default, any country with its code, nothing that is not a number. */
class PhoneNumberTests {

    @Test
    void aFrenchNumberTypedAnyWayIsTheSameE164Number() {
        for (String typed : new String[] {"06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033 6.12.34.56.78"}) {
            assertThat(PhoneNumber.parse("phone", typed).e164()).as(typed).isEqualTo("+33612345678");
        }
    }

    @Test
    void aNumberWithItsCountryCodeKeepsItsCountry() {
        assertThat(PhoneNumber.parse("phone", "+44 20 7946 0958").e164()).isEqualTo("+442079460958");
        assertThat(PhoneNumber.parse("phone", "+32 470 12 34 56").e164()).isEqualTo("+32470123456");
    }

    @Test
    void whatIsNotAValidNumberIsRefusedNamingTheField() {
        for (String typed :
                new String[] {"", "12", "06 12 34", "06 12 34 56 78 90 12", "phone", "+999 1234 5678", "06 39 98 12 34"
                }) {
            assertThatThrownBy(() -> PhoneNumber.parse("phone", typed))
                    .as(typed)
                    .isInstanceOf(InvalidInputException.class)
                    .extracting(e -> ((InvalidInputException) e).field())
                    .isEqualTo("phone");
        }
        assertThat(PhoneNumber.read(null)).isEmpty();
        assertThat(PhoneNumber.read("1".repeat(100))).isEmpty();
    }
}
