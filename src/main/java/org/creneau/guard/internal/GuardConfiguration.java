package org.creneau.guard.internal;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GuardSettings.class)
class GuardConfiguration {

    /** Right after Spring Security, which tells who the caller is. */
    @Bean
    @ConditionalOnWebApplication
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimits limits, GuardSettings settings) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limits, settings));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Right before Spring Security: counts what it answers by itself (see {@link UncountedRequestLimit}). */
    @Bean
    @ConditionalOnWebApplication
    FilterRegistrationBean<UncountedRequestLimit> uncountedRequestLimit(
            RateLimits limits, GuardSettings settings, Clock clock) {
        FilterRegistrationBean<UncountedRequestLimit> registration =
                new FilterRegistrationBean<>(new UncountedRequestLimit(limits, settings, clock));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
