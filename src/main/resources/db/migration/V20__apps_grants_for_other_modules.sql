-- What other modules need of the apps module's grants, asked of apps' own functions instead of
-- joining its tables (module walls: only apps' SQL names connected_app and app_grant).

-- The active grants carry whether they show patients' contact details, so the FHIR endpoint reads a
-- patient-file entry through the patients module alone.
DROP FUNCTION connected_app_active_grants(uuid);
CREATE FUNCTION connected_app_active_grants(p_app uuid)
    RETURNS TABLE (grant_id uuid, organization_id uuid, scopes text[], new_patients_per_10_minutes int,
                   patients_per_hour int, patients_per_day int, appointments_per_hour int,
                   appointments_per_day int, allowed_from time, allowed_to time, allowed_time_zone text,
                   contact_details boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT g.id, g.organization_id, g.scopes, g.new_patients_per_10_minutes, g.patients_per_hour,
             g.patients_per_day, g.appointments_per_hour, g.appointments_per_day, g.allowed_from, g.allowed_to,
             g.allowed_time_zone, g.contact_details
        FROM app_grant g JOIN connected_app a ON a.id = g.app_id
       WHERE g.app_id = p_app AND g.status = 'ACTIVE' AND a.status = 'ACTIVE' $$;
REVOKE ALL ON FUNCTION connected_app_active_grants(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION connected_app_active_grants(uuid) TO ${app_role};

-- The grants in force for a use: active, of an active app, holding every one of p_scopes and, when
-- p_practitioner is given, opening that agenda. With the caller's rights (row-level security applies
-- as to the caller) and inlined by the planner into the query that joins it.
CREATE FUNCTION app_grants_in_force(p_scopes text[], p_practitioner uuid)
    RETURNS TABLE (grant_id uuid, organization_id uuid, app_id uuid)
    LANGUAGE sql STABLE
AS $$ SELECT g.id, g.organization_id, g.app_id
        FROM app_grant g JOIN connected_app c ON c.id = g.app_id
       WHERE g.status = 'ACTIVE' AND c.status = 'ACTIVE' AND g.scopes @> p_scopes
         AND (p_practitioner IS NULL OR app_grant_opens(g, p_practitioner)) $$;
REVOKE ALL ON FUNCTION app_grants_in_force(text[], uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_grants_in_force(text[], uuid) TO ${app_role};
