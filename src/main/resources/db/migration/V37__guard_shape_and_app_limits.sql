-- The guard judges the shape of a sweep, not only its speed (issue #14): every threshold per grant,
-- counts per app across all its grants, reads of the distant past, alerts that do not contain.

-- Every threshold of the guard may be set per grant by the organization's admin (NULL: the platform's
-- default), within the platform's ceilings (checked by the application, documented in docs/security.md).
ALTER TABLE app_grant
    ADD COLUMN requests_per_minute     int CHECK (requests_per_minute > 0),
    ADD COLUMN searches_per_10_minutes int CHECK (searches_per_10_minutes > 0),
    ADD COLUMN search_windows_per_hour int CHECK (search_windows_per_hour > 0),
    ADD COLUMN unseen_reads_per_hour   int CHECK (unseen_reads_per_hour > 0),
    ADD COLUMN refusals_per_10_minutes int CHECK (refusals_per_10_minutes > 0),
    ADD COLUMN distant_past_per_day    int CHECK (distant_past_per_day > 0),
    ADD COLUMN patient_share_percent   int CHECK (patient_share_percent BETWEEN 1 AND 100);

DROP FUNCTION connected_app_active_grants(uuid);
CREATE FUNCTION connected_app_active_grants(p_app uuid)
    RETURNS TABLE (grant_id uuid, organization_id uuid, scopes text[], new_patients_per_10_minutes int,
                   patients_per_hour int, patients_per_day int, appointments_per_hour int,
                   appointments_per_day int, allowed_from time, allowed_to time, allowed_time_zone text,
                   contact_details boolean, requests_per_minute int, searches_per_10_minutes int,
                   search_windows_per_hour int, unseen_reads_per_hour int, refusals_per_10_minutes int,
                   distant_past_per_day int, patient_share_percent int)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT g.id, g.organization_id, g.scopes, g.new_patients_per_10_minutes, g.patients_per_hour,
             g.patients_per_day, g.appointments_per_hour, g.appointments_per_day, g.allowed_from, g.allowed_to,
             g.allowed_time_zone, g.contact_details, g.requests_per_minute, g.searches_per_10_minutes,
             g.search_windows_per_hour, g.unseen_reads_per_hour, g.refusals_per_10_minutes, g.distant_past_per_day,
             g.patient_share_percent
        FROM app_grant g JOIN connected_app a ON a.id = g.app_id
       WHERE g.app_id = p_app AND g.status = 'ACTIVE' AND a.status = 'ACTIVE' $$;
REVOKE ALL ON FUNCTION connected_app_active_grants(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION connected_app_active_grants(uuid) TO ${app_role};

-- What a grant was shown now also names the app (counted across all its grants, in every
-- organization) and whether an appointment lay in the distant past (a sync reads around today).
ALTER TABLE guard_seen
    ADD COLUMN app_id  uuid,
    ADD COLUMN distant boolean NOT NULL DEFAULT false;
CREATE INDEX guard_seen_app_first_idx ON guard_seen (app_id, kind, first_at) WHERE app_id IS NOT NULL;
CREATE INDEX guard_seen_app_last_idx ON guard_seen (app_id, kind, last_at) WHERE app_id IS NOT NULL;

-- A quota or rate limit refused the grant (429): an app that keeps meeting them is contained.
ALTER TABLE guard_mark DROP CONSTRAINT guard_mark_kind_check;
ALTER TABLE guard_mark ADD CONSTRAINT guard_mark_kind_check
    CHECK (kind IN ('REFUSED', 'UNSEEN', 'SEARCH', 'THROTTLED'));

-- An alert either contained the grant (suspended it) or only told the admins (a quota reached): the
-- latter once per grant, signal and day, whatever number of requests reach it at the same moment.
ALTER TABLE guard_alert
    ADD COLUMN contained  boolean NOT NULL DEFAULT true,
    ADD COLUMN notice_day date;
ALTER TABLE guard_alert ADD CHECK (contained = (notice_day IS NULL));
CREATE UNIQUE INDEX guard_alert_notice_once ON guard_alert (organization_id, grant_id, signal, notice_day)
    WHERE NOT contained;

DROP FUNCTION guard_alerts_all(int, int);
CREATE FUNCTION guard_alerts_all(p_limit int, p_offset int)
    RETURNS TABLE (id uuid, organization_id uuid, app_id uuid, grant_id uuid, signal text, severe boolean,
                   detail text, raised_at timestamptz, journal_frozen_to bigint, contained boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT id, organization_id, app_id, grant_id, signal, severe, detail, raised_at, journal_frozen_to, contained
        FROM guard_alert ORDER BY raised_at DESC, id LIMIT p_limit OFFSET p_offset $$;
REVOKE ALL ON FUNCTION guard_alerts_all(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_alerts_all(int, int) TO ${app_role};

-- What an app was shown across all its grants, in every organization: counts of identifiers only,
-- for the guard's per-app thresholds. The one read of guard_seen across organizations.
CREATE FUNCTION guard_app_counts(p_app uuid, p_now timestamptz)
    RETURNS TABLE (new_patients bigint, patients_hour bigint, patients_day bigint, appointments_hour bigint,
                   appointments_day bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT count(*) FILTER (WHERE kind = 'P' AND first_at >= p_now - interval '10 minutes'),
             count(*) FILTER (WHERE kind = 'P' AND last_at >= p_now - interval '1 hour'),
             count(*) FILTER (WHERE kind = 'P'),
             count(*) FILTER (WHERE kind = 'A' AND last_at >= p_now - interval '1 hour'),
             count(*) FILTER (WHERE kind = 'A')
        FROM guard_seen
       WHERE app_id = p_app AND kind IN ('A', 'P') AND last_at >= p_now - interval '1 day' $$;
REVOKE ALL ON FUNCTION guard_app_counts(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_app_counts(uuid, timestamptz) TO ${app_role};

-- The guard's one-statement observation (V16, V18) with the app, the appointments of the distant past,
-- the per-app counts, and a baseline the app cannot train: only what it read before the last day,
-- spread over at least p_baseline_days days (else none). The entry is appended only when no threshold
-- would stop the answer; a check this function cannot make (the share of the practice's file) is
-- treated as tripped, and the application appends the entry itself when it does not stop the answer.
DROP FUNCTION guard_observe_and_journal(uuid, uuid, timestamptz, uuid[], uuid[], uuid, timestamptz, timestamptz,
    int, int, int, int, int, int, int, int, int, timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[],
    text[], text, text);
CREATE FUNCTION guard_observe_and_journal(
    p_org uuid, p_grant uuid, p_app uuid, p_now timestamptz, p_appointments uuid[], p_patients uuid[],
    p_distant uuid[], p_named uuid, p_from timestamptz, p_to timestamptz,
    p_unseen_per_hour int, p_windows_per_hour int, p_searches_per_10_minutes int, p_new_patients_floor int,
    p_baseline_factor int, p_baseline_days int, p_patients_per_hour int, p_patients_per_day int,
    p_appointments_per_hour int, p_appointments_per_day int, p_distant_per_day int, p_share_minimum int,
    p_app_new_patients int, p_app_patients_per_hour int, p_app_patients_per_day int,
    p_app_appointments_per_hour int, p_app_appointments_per_day int,
    j_recorded_at timestamptz, j_actor_kind text, j_actor_id uuid, j_actor_role text, j_grant_id uuid,
    j_organization_id uuid, j_route text, j_purpose text, j_resource_type text, j_resource_ids uuid[],
    j_fields text[], j_outcome text, j_body text)
    RETURNS TABLE (canary boolean, new_patients bigint, patients_hour bigint, patients_day bigint,
                   appointments_hour bigint, appointments_day bigint, unseen_hour bigint, searches bigint,
                   windows bigint, distant_day bigint, baseline double precision, app_new_patients bigint,
                   app_patients_hour bigint, app_patients_day bigint, app_appointments_hour bigint,
                   app_appointments_day bigint, journaled boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
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
        INSERT INTO guard_seen (organization_id, grant_id, app_id, kind, record_id, first_at, last_at, introduced,
                                distant)
        SELECT DISTINCT p_org, p_grant, p_app, shown.kind, shown.id, p_now, p_now, shown.id IS DISTINCT FROM p_named,
               shown.id = ANY (coalesce(p_distant, '{}'))
          FROM (SELECT 'A' AS kind, id FROM unnest(p_appointments) AS id
                UNION ALL
                SELECT 'P', id FROM unnest(p_patients) AS id) shown
        ON CONFLICT (organization_id, grant_id, kind, record_id)
        DO UPDATE SET last_at = EXCLUDED.last_at, introduced = guard_seen.introduced OR EXCLUDED.introduced,
                      app_id = EXCLUDED.app_id, distant = guard_seen.distant OR EXCLUDED.distant;
    END IF;
    SELECT count(*) FILTER (WHERE s.kind = 'P' AND s.first_at >= p_now - interval '10 minutes'),
           count(*) FILTER (WHERE s.kind = 'P' AND s.last_at >= p_now - interval '1 hour'),
           count(*) FILTER (WHERE s.kind = 'P'),
           count(*) FILTER (WHERE s.kind = 'A' AND s.last_at >= p_now - interval '1 hour'),
           count(*) FILTER (WHERE s.kind = 'A'),
           count(*) FILTER (WHERE s.kind = 'A' AND s.distant)
      INTO new_patients, patients_hour, patients_day, appointments_hour, appointments_day, distant_day
      FROM guard_seen s
     WHERE s.organization_id = p_org AND s.grant_id = p_grant AND s.last_at >= p_now - interval '1 day';
    SELECT count(*) FILTER (WHERE m.kind = 'UNSEEN'),
           count(*) FILTER (WHERE m.kind = 'SEARCH' AND m.at >= p_now - interval '10 minutes'),
           count(DISTINCT (m.window_from, m.window_to)) FILTER (WHERE m.kind = 'SEARCH')
      INTO unseen_hour, searches, windows
      FROM guard_mark m
     WHERE m.organization_id = p_org AND m.grant_id = p_grant AND m.kind IN ('UNSEEN', 'SEARCH')
       AND m.at >= p_now - interval '1 hour';
    SELECT c.new_patients, c.patients_hour, c.patients_day, c.appointments_hour, c.appointments_day
      INTO app_new_patients, app_patients_hour, app_patients_day, app_appointments_hour, app_appointments_day
      FROM guard_app_counts(p_app, p_now) c;
    IF new_patients >= p_new_patients_floor THEN
        SELECT CASE WHEN count(DISTINCT date_trunc('day', period)) >= p_baseline_days THEN avg(n) END
          INTO baseline
          FROM (SELECT date_bin('10 minutes', first_at, TIMESTAMPTZ '2000-01-01 00:00Z') AS period, count(*) AS n
                  FROM guard_seen
                 WHERE organization_id = p_org AND grant_id = p_grant AND kind = 'P'
                   AND first_at >= p_now - interval '8 days' AND first_at < p_now - interval '1 day'
                 GROUP BY 1) periods;
    END IF;
    tripped := unseen_hour >= p_unseen_per_hour
        OR windows >= p_windows_per_hour
        OR searches >= p_searches_per_10_minutes
        OR (new_patients >= p_new_patients_floor
            AND new_patients >= greatest(p_new_patients_floor, floor(coalesce(baseline, 0) * p_baseline_factor)))
        OR distant_day >= p_distant_per_day
        OR patients_day >= p_share_minimum
        OR patients_hour > p_patients_per_hour
        OR patients_day > p_patients_per_day
        OR appointments_hour > p_appointments_per_hour
        OR appointments_day > p_appointments_per_day
        OR app_new_patients >= p_app_new_patients
        OR app_patients_hour > p_app_patients_per_hour
        OR app_patients_day > p_app_patients_per_day
        OR app_appointments_hour > p_app_appointments_per_hour
        OR app_appointments_day > p_app_appointments_per_day;
    IF NOT tripped AND j_route IS NOT NULL THEN
        PERFORM journal_append(j_recorded_at, j_actor_kind, j_actor_id, j_actor_role, j_grant_id, j_organization_id,
                               j_route, j_purpose, j_resource_type, j_resource_ids, j_fields, j_outcome, j_body);
        journaled := true;
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION guard_observe_and_journal(uuid, uuid, uuid, timestamptz, uuid[], uuid[], uuid[], uuid,
    timestamptz, timestamptz, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int,
    timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[], text[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_observe_and_journal(uuid, uuid, uuid, timestamptz, uuid[], uuid[], uuid[], uuid,
    timestamptz, timestamptz, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int,
    timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[], text[], text, text) TO ${app_role};
