/**
 * Availability: weekly opening ranges, absences and booking rules, and the free slots computed
 * from them minus appointments (never stored in the database; kept a few seconds per node, per
 * agenda and day). Also the public search, which ranks practitioners by their next free slot.
 */
package org.creneau.availability;
