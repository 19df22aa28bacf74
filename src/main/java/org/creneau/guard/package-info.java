/**
 * The guard: rate limits per address, account and app; quotas and signals of bulk reading for
 * connected apps; canary records; automatic containment of an app caught sweeping.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Guard")
@OwnsTables({"guard_rate", "guard_bucket", "guard_seen", "guard_mark", "guard_alert", "guard_containment"})
package org.creneau.guard;

import org.creneau.platform.OwnsTables;
