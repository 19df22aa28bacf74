package org.creneau.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** The SHA-1 seed of RFC 6238, appendix B. */
    static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theRfc6238TestVectorsForSha1Match() {
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(59)), 8)).isEqualTo("94287082");
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(1111111109)), 8))
                .isEqualTo("07081804");
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(1111111111)), 8))
                .isEqualTo("14050471");
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(1234567890)), 8))
                .isEqualTo("89005924");
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(2000000000)), 8))
                .isEqualTo("69279037");
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(20000000000L)), 8))
                .isEqualTo("65353130");
    }

    @Test
    void sixDigitCodesAreTheLastSixOfTheRfcValues() {
        String secret = Base32.encode(RFC_KEY);
        assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.code(secret, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.matchingStep(secret, "287082", Instant.ofEpochSecond(59 + 30)))
                .hasValue(1);
        assertThat(Totp.matchingStep(secret, "287082", Instant.ofEpochSecond(59 + 60)))
                .isEmpty();
    }

    @Test
    void base32RoundTripsAndReadsRfc4648Vectors() {
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(Base32.decode("mzxw6ytboi======"), StandardCharsets.US_ASCII))
                .isEqualTo("foobar");
        String secret = Totp.newSecret();
        assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
        assertThat(Base32.encode(Base32.decode(secret))).isEqualTo(secret);
    }
}
