package org.creneau.booking.internal;

import org.creneau.booking.BookingLimits;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BookingLimits.class)
class BookingConfiguration {}
