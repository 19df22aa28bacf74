package org.creneau.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How sign-in defends itself ({@code creneau.login.*}).
 *
 * @param maxFailuresPerAccount failed attempts on one account from one address, or from one known device (password
 *     or second factor), before that pair is throttled
 * @param maxFailuresFromUnknownDevices failed attempts on one account from every device it never signed in from,
 *     all addresses together, before they are throttled (the owner's known devices still get in)
 * @param maxFailuresPerAddress failed attempts from one client address (an IPv6 /64) on any account before it is
 *     throttled
 * @param failureWindow failures are forgotten after this long without a new one (counted from the end of a block)
 * @param firstDelay the first block; each further failure while over the limit doubles it
 * @param maxDelay the longest block
 * @param secondFactorTimeout how long a session waits for the second factor after the password
 * @param concurrentHashes password hashes computed at once on this node; more wait up to {@code hashWait}, then
 *     are answered 503 with Retry-After
 * @param hashWait how long an attempt waits for a free hash before it is answered 503
 * @param deviceLifetime how long the cookie of a known device lives (browsers keep at most 400 days)
 */
@ConfigurationProperties("creneau.login")
record LoginSettings(
        int maxFailuresPerAccount,
        int maxFailuresFromUnknownDevices,
        int maxFailuresPerAddress,
        Duration failureWindow,
        Duration firstDelay,
        Duration maxDelay,
        Duration secondFactorTimeout,
        int concurrentHashes,
        Duration hashWait,
        Duration deviceLifetime) {

    LoginSettings {
        maxFailuresPerAccount = maxFailuresPerAccount <= 0 ? 5 : maxFailuresPerAccount;
        maxFailuresFromUnknownDevices = maxFailuresFromUnknownDevices <= 0 ? 10 : maxFailuresFromUnknownDevices;
        maxFailuresPerAddress = maxFailuresPerAddress <= 0 ? 20 : maxFailuresPerAddress;
        failureWindow = positiveOr(failureWindow, Duration.ofMinutes(15));
        firstDelay = positiveOr(firstDelay, Duration.ofSeconds(30));
        maxDelay = positiveOr(maxDelay, Duration.ofHours(1));
        secondFactorTimeout = positiveOr(secondFactorTimeout, Duration.ofMinutes(5));
        concurrentHashes =
                concurrentHashes <= 0 ? Math.max(2, Runtime.getRuntime().availableProcessors()) : concurrentHashes;
        hashWait = positiveOr(hashWait, Duration.ofSeconds(2));
        deviceLifetime = positiveOr(deviceLifetime, Duration.ofDays(400));
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
