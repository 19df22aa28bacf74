package org.creneau.guard.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The staff guard's limits ({@link StaffGuardSettings}), apart from the apps' ({@link GuardSettings}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StaffGuardSettings.class)
class StaffGuardConfiguration {}
