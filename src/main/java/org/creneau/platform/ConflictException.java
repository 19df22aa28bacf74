package org.creneau.platform;

/** The request is valid but the current state refuses it (slot taken, cut-off passed...). */
public class ConflictException extends RuntimeException {

    private final String code;

    /**
     * @param code a stable, machine-readable reason, e.g. {@code slot-taken}
     * @param detail a human sentence carrying no personal data
     */
    public ConflictException(String code, String detail) {
        super(detail);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
