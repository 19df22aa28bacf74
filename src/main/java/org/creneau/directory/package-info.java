/**
 * The directory: organizations, sites, practitioners and their visit motives. Public data that
 * anyone may read; only the organization itself may change its rows.
 */
@OwnsTables({"specialty", "organization", "site", "practitioner", "visit_motive", "practitioner_site"})
package org.creneau.directory;

import org.creneau.platform.OwnsTables;
