/**
 * The guard: rate limits per address, account and app; quotas and signals of bulk reading for
 * connected apps; canary records; automatic containment of an app caught sweeping.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Guard")
package org.creneau.guard;
