-- Two more walls in the database, beside the tenant wall of V1: the grant a connected app acts
-- through narrows what it sees to the agendas the grant opens, and decoys (canary records, V12) are
-- hidden from every caller but the two that need them. Until now both were clauses copied into the
-- application's queries; a query that forgets one now still gets nothing it should not.
--
-- Row-level security rather than security-barrier views: the tenant wall already is row-level
-- security on these very tables, so every statement (read, write, a join from another module, a
-- subquery in a policy) meets all three walls without naming another relation, and nothing needs
-- to know which view to query.

-- The grant the current transaction acts through (set with set_config(..., true)); NULL when unset.
CREATE FUNCTION access_grant() RETURNS uuid
    LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('creneau.grant_id', true), '')::uuid $$;

-- Whether the current transaction is the guard placing and moving canary records.
CREATE FUNCTION access_keeps_canaries() RETURNS boolean
    LANGUAGE sql STABLE
AS $$ SELECT coalesce(current_setting('creneau.canary_keeper', true), '') = 'on' $$;

-- Whether a grant opens an agenda: every agenda when it names none. The one place this rule is written.
CREATE FUNCTION app_grant_opens(p_grant app_grant, p_practitioner uuid) RETURNS boolean
    LANGUAGE sql IMMUTABLE
AS $$ SELECT p_grant.practitioner_ids IS NULL OR p_practitioner = ANY (p_grant.practitioner_ids) $$;

-- The agendas the current transaction is limited to: NULL when it is not limited (no grant set, or a
-- grant opening every agenda), an empty array when the grant set is not an active grant of an active
-- app of the transaction's organization (suspended, revoked, another organization's: nothing is
-- open). Read as the caller, through app_grant's own policy. Policies call it as (SELECT ...), an
-- init plan evaluated once per statement, not once per row.
CREATE FUNCTION access_grant_agendas() RETURNS uuid[]
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    agendas uuid[];
BEGIN
    IF access_grant() IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT g.practitioner_ids INTO agendas
      FROM app_grant g JOIN connected_app c ON c.id = g.app_id
     WHERE g.id = access_grant() AND g.organization_id = access_org()
       AND g.status = 'ACTIVE' AND c.status = 'ACTIVE';
    IF NOT FOUND THEN
        RETURN '{}';
    END IF;
    RETURN agendas;
END
$$;

-- The grant wall. An app sees appointments of its grant's agendas only, and writes none elsewhere.
CREATE POLICY appointment_within_grant ON appointment AS RESTRICTIVE FOR ALL
    USING ((SELECT access_grant_agendas()) IS NULL
           OR practitioner_id = ANY ((SELECT access_grant_agendas())::uuid[]));
-- An app reaches a patient-file entry only through an appointment it sees (the subquery meets
-- appointment's own policies: organization, grant, decoys).
CREATE POLICY org_patient_within_grant ON org_patient AS RESTRICTIVE FOR ALL
    USING ((SELECT access_grant()) IS NULL
           OR EXISTS (SELECT 1 FROM appointment a WHERE a.org_patient_id = org_patient.id));
-- The directory is public, but an app acting through a grant sees the agendas it opens only: the
-- narrowing of every agenda list of the FHIR API.
CREATE POLICY practitioner_within_grant ON practitioner AS RESTRICTIVE FOR SELECT
    USING ((SELECT access_grant()) IS NULL
           OR (organization_id = access_org()
               AND ((SELECT access_grant_agendas()) IS NULL OR id = ANY ((SELECT access_grant_agendas())::uuid[]))));

-- The decoy wall. Decoys are visible to an app acting through its grant (that is the trap: every
-- answer to an app passes the guard, which withholds it and contains the app) and to the guard
-- keeping them; nobody else sees one. Only the keeper writes one.
CREATE POLICY appointment_decoys_hidden ON appointment AS RESTRICTIVE FOR SELECT
    USING (NOT decoy OR access_grant() IS NOT NULL OR access_keeps_canaries());
CREATE POLICY appointment_decoys_kept_new ON appointment AS RESTRICTIVE FOR INSERT
    WITH CHECK (NOT decoy OR access_keeps_canaries());
CREATE POLICY appointment_decoys_kept ON appointment AS RESTRICTIVE FOR UPDATE
    USING (NOT decoy OR access_keeps_canaries()) WITH CHECK (NOT decoy OR access_keeps_canaries());
CREATE POLICY org_patient_decoys_hidden ON org_patient AS RESTRICTIVE FOR SELECT
    USING (NOT decoy OR access_grant() IS NOT NULL OR access_keeps_canaries());
CREATE POLICY org_patient_decoys_kept_new ON org_patient AS RESTRICTIVE FOR INSERT
    WITH CHECK (NOT decoy OR access_keeps_canaries());
CREATE POLICY org_patient_decoys_kept ON org_patient AS RESTRICTIVE FOR UPDATE
    USING (NOT decoy OR access_keeps_canaries()) WITH CHECK (NOT decoy OR access_keeps_canaries());

-- The guard's check: which of these ids of the transaction's organization are canary records. It
-- answers for the ids it is given only, so it cannot list canaries.
CREATE FUNCTION canaries_among(p_appointments uuid[], p_patients uuid[])
    RETURNS TABLE (id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT a.id FROM appointment a
     WHERE a.organization_id = access_org() AND a.decoy AND a.id = ANY (p_appointments)
    UNION ALL
    SELECT op.id FROM org_patient op
     WHERE op.organization_id = access_org() AND op.decoy AND op.id = ANY (p_patients)
$$;
REVOKE ALL ON FUNCTION canaries_among(uuid[], uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION canaries_among(uuid[], uuid[]) TO ${app_role};
