/**
 * The directory: organizations, sites, practitioners and their visit motives. Public data that
 * anyone may read; only the organization itself may change its rows.
 */
package org.creneau.directory;
