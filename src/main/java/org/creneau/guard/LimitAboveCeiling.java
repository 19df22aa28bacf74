package org.creneau.guard;

/** A grant's limit set above the ceiling the platform allows: the field and the ceiling, for a 422. */
public class LimitAboveCeiling extends RuntimeException {

    private final String field;
    private final int ceiling;

    public LimitAboveCeiling(String field, int ceiling) {
        super("must be at most " + ceiling + " (the platform's ceiling)");
        this.field = field;
        this.ceiling = ceiling;
    }

    public String field() {
        return field;
    }

    public int ceiling() {
        return ceiling;
    }
}
