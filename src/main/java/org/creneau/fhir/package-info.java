/**
 * The HL7 FHIR R4 endpoint at {@code /fhir}: a HAPI plain server behind bearer tokens from the
 * token server, its resource providers narrowed to each app's active grants, the guard's
 * interceptor and the OperationOutcome refusals, and subscriptions delivered as signed rest-hooks.
 */
@OwnsTables({"subscription", "subscription_delivery"})
package org.creneau.fhir;

import org.creneau.platform.OwnsTables;
