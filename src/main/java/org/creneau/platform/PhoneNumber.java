package org.creneau.platform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/**
 * A phone number in E.164 ({@code +33612345678}), read with libphonenumber: a number typed without
 * a country code is taken as French ({@code 06 12 34 56 78}). Every entry that stores a phone
 * normalizes it here, so an SMS gateway, a search and a duplicate check all see one spelling.
 */
public record PhoneNumber(String e164) {

    /** Numbers without a country code are read as numbers of this region. */
    public static final String DEFAULT_REGION = "FR";

    private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();
    private static final int MAX_INPUT = 40;

    public PhoneNumber {
        if (e164 == null || !e164.matches("^\\+[1-9][0-9]{6,14}$")) {
            throw new IllegalArgumentException("not an E.164 number");
        }
    }

    /**
     * The number typed in {@code field}, normalized; refused with a 400 naming the field when it is
     * not a valid number (too short, too long, letters, an unknown country code).
     */
    public static PhoneNumber parse(String field, String typed) {
        return read(typed)
                .orElseThrow(() -> new InvalidInputException(
                        field, "must be a valid phone number (e.g. +33 6 12 34 56 78, or 06 12 34 56 78 in France)"));
    }

    /**
     * A stored number as a gateway needs it, or empty when it cannot be read: numbers stored before
     * entries normalized them are kept as typed, and read here before an SMS goes.
     */
    public static Optional<PhoneNumber> read(String typed) {
        if (typed == null || typed.isBlank() || typed.length() > MAX_INPUT) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber number = NUMBERS.parse(typed.strip(), DEFAULT_REGION);
            if (!NUMBERS.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(new PhoneNumber(NUMBERS.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return e164;
    }
}
