package org.creneau.identity.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as authenticator apps compute them (RFC 6238 over RFC 4226):
 * HMAC-SHA1, 30-second steps counted from the Unix epoch, 6 digits.
 */
final class Totp {

    static final int STEP_SECONDS = 30;
    static final int DIGITS = 6;
    /** Steps accepted on either side of the current one, for clocks that drift and slow typists. */
    static final int TOLERANCE = 1;

    private static final int SECRET_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {}

    /** A new 160-bit secret, base32-encoded (the length RFC 4226 recommends for HMAC-SHA1). */
    static String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return Base32.encode(secret);
    }

    static long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), STEP_SECONDS);
    }

    static String code(byte[] key, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24)
                    | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8)
                    | (hash[offset + 3] & 0xff);
            int modulus = (int) Math.pow(10, digits);
            return String.format("%0" + digits + "d", binary % modulus);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    static String code(String base32Secret, long step) {
        return code(Base32.decode(base32Secret), step, DIGITS);
    }

    /**
     * The step whose code this is, within {@link #TOLERANCE} steps of {@code now}; empty when the
     * code matches none. Whether that step was already used is the caller's to check.
     */
    static OptionalLong matchingStep(String base32Secret, String code, Instant now) {
        if (code == null || code.length() != DIGITS) {
            return OptionalLong.empty();
        }
        byte[] key = Base32.decode(base32Secret);
        long current = step(now);
        OptionalLong found = OptionalLong.empty();
        // Every candidate is computed and compared in constant time: timing says nothing about which matched.
        for (long step = current - TOLERANCE; step <= current + TOLERANCE; step++) {
            boolean same = MessageDigest.isEqual(
                    code(key, step, DIGITS).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII));
            if (same) {
                found = OptionalLong.of(step);
            }
        }
        return found;
    }
}
