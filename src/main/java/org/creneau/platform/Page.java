package org.creneau.platform;

import java.util.List;

/** One page of a list, with where it stands in the whole. */
public record Page<T>(List<T> items, Info page) {

    public record Info(int number, int size, long totalItems) {}

    public static <T> Page<T> of(List<T> all, Paging paging) {
        int from = Math.min(paging.offset(), all.size());
        int to = Math.min(from + paging.size(), all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), new Info(paging.number(), paging.size(), all.size()));
    }

    public static <T> Page<T> of(List<T> items, Paging paging, long totalItems) {
        return new Page<>(List.copyOf(items), new Info(paging.number(), paging.size(), totalItems));
    }
}
