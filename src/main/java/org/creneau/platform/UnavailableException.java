package org.creneau.platform;

/**
 * A part the answer depends on cannot be reached for a moment (the journal, above all): the request
 * is answered 503 with nothing of what it asked for, and the caller may try again shortly.
 */
public class UnavailableException extends RuntimeException {

    private final String code;

    /**
     * @param code a stable, machine-readable reason, e.g. {@code journal-unavailable}
     * @param detail a human sentence carrying no personal data
     */
    public UnavailableException(String code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
