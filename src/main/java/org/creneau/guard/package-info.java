/**
 * The guard: rate limits per address, account and app; quotas and signals of bulk reading for
 * connected apps and staff accounts; canary records; automatic containment of an app or a staff
 * account caught sweeping.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Guard")
@OwnsTables({
    "guard_rate",
    "guard_bucket",
    "guard_seen",
    "guard_mark",
    "guard_alert",
    "guard_containment",
    "guard_account_seen",
    "guard_account_containment"
})
package org.creneau.guard;

import org.creneau.platform.OwnsTables;
