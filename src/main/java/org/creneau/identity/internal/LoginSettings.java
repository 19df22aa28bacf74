package org.creneau.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How sign-in defends itself ({@code creneau.login.*}).
 *
 * @param maxFailuresPerAccount failed attempts on one account (password or second factor) before it is throttled
 * @param maxFailuresPerAddress failed attempts from one client address before it is throttled
 * @param failureWindow failures are forgotten after this long without a new one (counted from the end of a block)
 * @param firstDelay the first block; each further failure while over the limit doubles it
 * @param maxDelay the longest block
 * @param secondFactorTimeout how long a session waits for the second factor after the password
 */
@ConfigurationProperties("creneau.login")
record LoginSettings(
        int maxFailuresPerAccount,
        int maxFailuresPerAddress,
        Duration failureWindow,
        Duration firstDelay,
        Duration maxDelay,
        Duration secondFactorTimeout) {

    LoginSettings {
        maxFailuresPerAccount = maxFailuresPerAccount <= 0 ? 5 : maxFailuresPerAccount;
        maxFailuresPerAddress = maxFailuresPerAddress <= 0 ? 20 : maxFailuresPerAddress;
        failureWindow = positiveOr(failureWindow, Duration.ofMinutes(15));
        firstDelay = positiveOr(firstDelay, Duration.ofSeconds(30));
        maxDelay = positiveOr(maxDelay, Duration.ofHours(1));
        secondFactorTimeout = positiveOr(secondFactorTimeout, Duration.ofMinutes(5));
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
