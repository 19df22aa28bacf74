package org.creneau.directory;

import org.creneau.platform.InvalidInputException;

/**
 * A practitioner's RPPS number: 11 digits, the last a Luhn check digit over the first ten.
 */
public record RppsNumber(String value) {

    public RppsNumber {
        if (value == null || !value.matches("[0-9]{11}")) {
            throw new InvalidInputException("rpps", "must be 11 digits");
        }
        if (!luhnValid(value)) {
            throw new InvalidInputException("rpps", "has a wrong check digit");
        }
    }

    /** The 11-digit number made of ten digits and their Luhn check digit. */
    public static RppsNumber withCheckDigit(String tenDigits) {
        if (tenDigits == null || !tenDigits.matches("[0-9]{10}")) {
            throw new InvalidInputException("rpps", "must start with 10 digits");
        }
        for (int check = 0; check <= 9; check++) {
            if (luhnValid(tenDigits + check)) {
                return new RppsNumber(tenDigits + check);
            }
        }
        throw new IllegalStateException("no Luhn digit");
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    @Override
    public String toString() {
        return value;
    }
}
