package org.creneau.platform;

/** The one way to page: a zero-based page number and a size capped at {@link #MAX_SIZE}. */
public record Paging(int number, int size) {

    public static final int MAX_SIZE = 50;
    public static final int DEFAULT_SIZE = 20;

    public Paging {
        if (number < 0) {
            throw new InvalidInputException("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("size", "must be between 1 and " + MAX_SIZE);
        }
    }

    public static Paging of(Integer number, Integer size) {
        return new Paging(number == null ? 0 : number, size == null ? DEFAULT_SIZE : size);
    }

    public int offset() {
        return number * size;
    }
}
