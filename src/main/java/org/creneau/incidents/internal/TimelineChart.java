package org.creneau.incidents.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.creneau.incidents.internal.Findings.Timeline;

/**
 * The summary's chart as drawing instructions for inline SVG: a bar per minute (or per few minutes on
 * a long run) for the requests, a line for the distinct patients reached so far, and a mark at
 * containment. Computed here so the template only draws.
 */
record TimelineChart(
        int width,
        int height,
        int plotHeight,
        List<Bar> bars,
        String patientLine,
        Integer containmentX,
        int maxRequests,
        int maxPatients,
        long minutesPerBar,
        String startLabel,
        String endLabel) {

    record Bar(int x, int y, int width, int height) {}

    private static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int PLOT = 236;

    /** Null when there is nothing to draw. */
    static TimelineChart of(Timeline timeline, Instant containedAt) {
        List<Timeline.Minute> minutes = timeline.minutes();
        if (minutes.isEmpty()) {
            return null;
        }
        int n = minutes.size();
        long perBar = n > 1
                ? Duration.between(minutes.get(0).at(), minutes.get(1).at()).toMinutes()
                : 1;
        int maxRequests = Math.max(
                1, minutes.stream().mapToInt(Timeline.Minute::requests).max().orElse(1));
        int maxPatients = minutes.get(n - 1).patientsSoFar();
        double step = (double) WIDTH / n;
        List<Bar> bars = new ArrayList<>();
        List<String> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Timeline.Minute m = minutes.get(i);
            int h = (int) Math.round((double) m.requests() / maxRequests * (PLOT - 20));
            bars.add(new Bar((int) Math.round(i * step), PLOT - h, Math.max(1, (int) Math.floor(step) - 1), h));
            int y = PLOT - (int) Math.round((double) m.patientsSoFar() / Math.max(1, maxPatients) * (PLOT - 20));
            points.add((int) Math.round(i * step + step / 2) + "," + y);
        }
        Integer containment = null;
        if (containedAt != null) {
            double offset =
                    (double) Duration.between(minutes.get(0).at(), containedAt).toSeconds() / 60.0 / perBar;
            containment = (int) Math.round(Math.max(0, Math.min(n, offset)) * step);
        }
        Instant end = minutes.get(n - 1).at().plus(Duration.ofMinutes(perBar));
        return new TimelineChart(
                WIDTH,
                HEIGHT,
                PLOT,
                bars,
                points.stream().collect(Collectors.joining(" ")),
                containment,
                maxRequests,
                maxPatients,
                perBar,
                minutes.get(0).at().toString(),
                end.toString());
    }
}
