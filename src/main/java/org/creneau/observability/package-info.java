/**
 * What an operator watches: counters of the domain's events (holds, bookings, cancellations,
 * containments) beside the request, journal and database-pool metrics, served with health on the
 * management port (docs/operations.md, "Health and metrics"). Reads events; owns no table.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Observability")
package org.creneau.observability;
