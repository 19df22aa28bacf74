/**
 * Incidents: after a breach, {@code incident report} investigates one connected app or account over a
 * window from the journal and the history, and writes what each party needs: the records it read or
 * wrote per organization, each practice's extract, a draft notification to the CNIL, letters to the
 * patients, an integrity section and a one-page summary. It owns no table: it reads through the
 * journal's, booking's and patients' APIs, as the database owner for what crosses organizations.
 */
package org.creneau.incidents;
