/**
 * Availability: weekly opening ranges, absences and booking rules, and the free slots computed
 * from them minus appointments (never stored in the database; kept a few seconds per node, per
 * agenda and day). Also the public search, which ranks practitioners by their next free slot.
 */
@OwnsTables({"opening_range", "opening_range_motive", "absence"})
package org.creneau.availability;

import org.creneau.platform.OwnsTables;
