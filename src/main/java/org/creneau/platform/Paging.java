package org.creneau.platform;

/**
 * The one way to page: a zero-based page number up to {@link #MAX_NUMBER} and a size capped at
 * {@link #MAX_SIZE}, so that an offset always fits the int the database and lists take.
 */
public record Paging(int number, int size) {

    public static final int MAX_SIZE = 50;
    public static final int DEFAULT_SIZE = 20;
    /** Far beyond any real list (500,000 items at the largest size), far below an int overflow. */
    public static final int MAX_NUMBER = 10_000;

    public Paging {
        if (number < 0 || number > MAX_NUMBER) {
            throw new InvalidInputException("page", "must be between 0 and " + MAX_NUMBER);
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
