package org.creneau.platform;

/** A request body longer than its cap ({@link RequestEdge}): answered 413 on every surface. */
public class BodyTooLargeException extends RuntimeException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the request body may hold at most " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
