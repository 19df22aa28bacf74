/**
 * Connected apps: the platform's registry of third-party software, the grants each organization
 * gives them, and the SMART Backend Services token endpoint they authenticate at.
 */
package org.creneau.connect;
