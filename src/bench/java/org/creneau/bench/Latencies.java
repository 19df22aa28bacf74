package org.creneau.bench;

import java.util.Arrays;

/** Latencies in nanoseconds and their nearest-rank percentiles in milliseconds. */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized void addAll(Latencies other) {
        long[] theirs = other.sorted();
        for (long v : theirs) {
            add(v);
        }
    }

    synchronized int count() {
        return size;
    }

    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The nearest-rank percentile {@code p} (0–100], in milliseconds; NaN when empty. */
    double percentileMs(double p) {
        long[] sorted = sorted();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000_000.0;
    }

    double meanMs() {
        long[] sorted = sorted();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return sum / sorted.length / 1_000_000.0;
    }

    double maxMs() {
        return percentileMs(100);
    }

    /** "p50 12.3 ms, p95 ..." for a report line. */
    String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
                percentileMs(50),
                percentileMs(95),
                percentileMs(99),
                maxMs(),
                count());
    }
}
