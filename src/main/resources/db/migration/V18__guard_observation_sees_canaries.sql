-- The guard's one-statement observation (V16) looked for canary records in appointment and
-- org_patient directly. Since the decoy wall (V17) a transaction that is neither a grant nor the
-- canary keeper sees no decoy, so that look-up would never find one: the function now asks
-- canaries_among, the guard's one narrow way in, like CanaryRecords does. The rest is unchanged.

CREATE OR REPLACE FUNCTION guard_observe_and_journal(
    p_org uuid, p_grant uuid, p_now timestamptz, p_appointments uuid[], p_patients uuid[], p_named uuid,
    p_from timestamptz, p_to timestamptz,
    p_unseen_per_hour int, p_windows_per_hour int, p_searches_per_10_minutes int, p_new_patients_floor int,
    p_baseline_factor int, p_patients_per_hour int, p_patients_per_day int, p_appointments_per_hour int,
    p_appointments_per_day int,
    j_recorded_at timestamptz, j_actor_kind text, j_actor_id uuid, j_actor_role text, j_grant_id uuid,
    j_organization_id uuid, j_route text, j_purpose text, j_resource_type text, j_resource_ids uuid[],
    j_fields text[], j_outcome text, j_body text)
    RETURNS TABLE (canary boolean, new_patients bigint, patients_hour bigint, patients_day bigint,
                   appointments_hour bigint, appointments_day bigint, unseen_hour bigint, searches bigint,
                   windows bigint, baseline double precision, journaled boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = public
AS $$
DECLARE
    tripped boolean;
BEGIN
    PERFORM set_config('creneau.org_id', p_org::text, true), set_config('creneau.account_id', '', true);
    canary := EXISTS (SELECT 1 FROM canaries_among(p_appointments, p_patients));
    journaled := false;
    IF canary THEN
        RETURN NEXT;
        RETURN;
    END IF;
    IF p_named IS NOT NULL AND NOT EXISTS (SELECT 1 FROM guard_seen
                                            WHERE organization_id = p_org AND grant_id = p_grant
                                              AND record_id = p_named AND introduced) THEN
        INSERT INTO guard_mark (organization_id, grant_id, kind, at) VALUES (p_org, p_grant, 'UNSEEN', p_now);
    END IF;
    IF p_from IS NOT NULL AND p_to IS NOT NULL THEN
        INSERT INTO guard_mark (organization_id, grant_id, kind, at, window_from, window_to)
        VALUES (p_org, p_grant, 'SEARCH', p_now, p_from, p_to);
    END IF;
    IF cardinality(p_appointments) > 0 OR cardinality(p_patients) > 0 THEN
        INSERT INTO guard_seen (organization_id, grant_id, kind, record_id, first_at, last_at, introduced)
        SELECT DISTINCT p_org, p_grant, shown.kind, shown.id, p_now, p_now, shown.id IS DISTINCT FROM p_named
          FROM (SELECT 'A' AS kind, id FROM unnest(p_appointments) AS id
                UNION ALL
                SELECT 'P', id FROM unnest(p_patients) AS id) shown
        ON CONFLICT (organization_id, grant_id, kind, record_id)
        DO UPDATE SET last_at = EXCLUDED.last_at, introduced = guard_seen.introduced OR EXCLUDED.introduced;
    END IF;
    SELECT count(*) FILTER (WHERE s.kind = 'P' AND s.first_at >= p_now - interval '10 minutes'),
           count(*) FILTER (WHERE s.kind = 'P' AND s.last_at >= p_now - interval '1 hour'),
           count(*) FILTER (WHERE s.kind = 'P'),
           count(*) FILTER (WHERE s.kind = 'A' AND s.last_at >= p_now - interval '1 hour'),
           count(*) FILTER (WHERE s.kind = 'A')
      INTO new_patients, patients_hour, patients_day, appointments_hour, appointments_day
      FROM guard_seen s
     WHERE s.organization_id = p_org AND s.grant_id = p_grant AND s.last_at >= p_now - interval '1 day';
    SELECT count(*) FILTER (WHERE m.kind = 'UNSEEN'),
           count(*) FILTER (WHERE m.kind = 'SEARCH' AND m.at >= p_now - interval '10 minutes'),
           count(DISTINCT (m.window_from, m.window_to)) FILTER (WHERE m.kind = 'SEARCH')
      INTO unseen_hour, searches, windows
      FROM guard_mark m
     WHERE m.organization_id = p_org AND m.grant_id = p_grant AND m.kind IN ('UNSEEN', 'SEARCH')
       AND m.at >= p_now - interval '1 hour';
    IF new_patients >= p_new_patients_floor THEN
        SELECT coalesce(avg(n), 0) INTO baseline FROM (
            SELECT count(*) AS n FROM guard_seen
             WHERE organization_id = p_org AND grant_id = p_grant AND kind = 'P'
               AND first_at >= p_now - interval '7 days' AND first_at < p_now - interval '10 minutes'
             GROUP BY date_bin('10 minutes', first_at, TIMESTAMPTZ '2000-01-01 00:00Z')) periods;
    END IF;
    tripped := unseen_hour >= p_unseen_per_hour
        OR windows >= p_windows_per_hour
        OR searches >= p_searches_per_10_minutes
        OR (new_patients >= p_new_patients_floor
            AND new_patients >= greatest(p_new_patients_floor, floor(baseline * p_baseline_factor)))
        OR patients_hour > p_patients_per_hour
        OR patients_day > p_patients_per_day
        OR appointments_hour > p_appointments_per_hour
        OR appointments_day > p_appointments_per_day;
    IF NOT tripped AND j_route IS NOT NULL THEN
        PERFORM journal_append(j_recorded_at, j_actor_kind, j_actor_id, j_actor_role, j_grant_id, j_organization_id,
                               j_route, j_purpose, j_resource_type, j_resource_ids, j_fields, j_outcome, j_body);
        journaled := true;
    END IF;
    RETURN NEXT;
END
$$;

