/**
 * The practice workspace: the pages a secretary, a practitioner or an organization admin works in all
 * day (agendas, desk, patient file, settings, staff), server-rendered on the same public module APIs
 * and rights as {@code /api/v1/staff}, so a page never sees more than the API would.
 */
package org.creneau.workspace;
