package org.creneau.directory;

import java.time.Duration;

/**
 * When a slot may be booked or cancelled online.
 *
 * @param minimumNotice no booking closer than this to the start
 * @param horizon no booking further ahead than this
 * @param cancellationCutoff no cancellation or move closer than this to the start
 */
public record BookingRules(Duration minimumNotice, Duration horizon, Duration cancellationCutoff) {}
