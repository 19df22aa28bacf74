package org.creneau.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How sign-in defends itself ({@code creneau.login.*}).
 *
 * @param secondFactorTimeout how long a session waits for the second factor after the password
 */
@ConfigurationProperties("creneau.login")
record LoginSettings(Duration secondFactorTimeout) {

    LoginSettings {
        secondFactorTimeout = positiveOr(secondFactorTimeout, Duration.ofMinutes(5));
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
