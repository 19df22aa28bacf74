-- The guard: rate limits shared by all nodes, what each grant has been shown, signals and alerts.

-- Bucket4j token buckets (per address, account or app), one row per key.
CREATE TABLE guard_bucket
(
    id         text PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
CREATE INDEX guard_bucket_expiry_idx ON guard_bucket (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON guard_bucket TO ${app_role};

-- Each record a grant has been shown (kind A: appointment, P: patient): first and last time, and
-- whether it reached the app legitimately (a search result, a reference in one, its own booking,
-- a notification) before it was read by id. Identifiers only.
CREATE TABLE guard_seen
(
    organization_id uuid        NOT NULL REFERENCES organization (id),
    grant_id        uuid        NOT NULL,
    kind            char(1)     NOT NULL CHECK (kind IN ('A', 'P')),
    record_id       uuid        NOT NULL,
    first_at        timestamptz NOT NULL,
    last_at         timestamptz NOT NULL,
    introduced      boolean     NOT NULL,
    PRIMARY KEY (organization_id, grant_id, kind, record_id)
);
CREATE INDEX guard_seen_first_idx ON guard_seen (organization_id, grant_id, first_at);
CREATE INDEX guard_seen_last_idx ON guard_seen (organization_id, grant_id, last_at);
ALTER TABLE guard_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY guard_seen_of_org ON guard_seen FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON guard_seen TO ${app_role};

-- What the signals count: refusals (404, 403), reads of records never shown, search windows.
CREATE TABLE guard_mark
(
    organization_id uuid        NOT NULL REFERENCES organization (id),
    grant_id        uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('REFUSED', 'UNSEEN', 'SEARCH')),
    at              timestamptz NOT NULL,
    window_from     timestamptz,
    window_to       timestamptz
);
CREATE INDEX guard_mark_grant_idx ON guard_mark (organization_id, grant_id, kind, at);
ALTER TABLE guard_mark ENABLE ROW LEVEL SECURITY;
CREATE POLICY guard_mark_of_org ON guard_mark FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, DELETE ON guard_mark TO ${app_role};

-- Containments: which signal stopped which app on which grant, and the journal range frozen then.
CREATE TABLE guard_alert
(
    id                uuid PRIMARY KEY,
    organization_id   uuid        NOT NULL REFERENCES organization (id),
    app_id            uuid        NOT NULL,
    grant_id          uuid        NOT NULL,
    signal            text        NOT NULL,
    severe            boolean     NOT NULL,
    detail            text        NOT NULL,
    raised_at         timestamptz NOT NULL,
    journal_frozen_to bigint      NOT NULL,
    UNIQUE (organization_id, id)
);
CREATE INDEX guard_alert_org_idx ON guard_alert (organization_id, raised_at DESC);
ALTER TABLE guard_alert ENABLE ROW LEVEL SECURITY;
CREATE POLICY guard_alert_of_org ON guard_alert FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT ON guard_alert TO ${app_role};

-- The platform's security contact sees every alert, with no organization set: identifiers only.
CREATE FUNCTION guard_alerts_all(p_limit int, p_offset int)
    RETURNS TABLE (id uuid, organization_id uuid, app_id uuid, grant_id uuid, signal text, severe boolean,
                   detail text, raised_at timestamptz, journal_frozen_to bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT id, organization_id, app_id, grant_id, signal, severe, detail, raised_at, journal_frozen_to
        FROM guard_alert ORDER BY raised_at DESC, id LIMIT p_limit OFFSET p_offset $$;
REVOKE ALL ON FUNCTION guard_alerts_all(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_alerts_all(int, int) TO ${app_role};

-- Journal ranges frozen for an investigation: a retention job must leave them alone.
CREATE TABLE journal_freeze
(
    id              uuid PRIMARY KEY,
    organization_id uuid,
    actor_id        uuid,
    up_to_seq       bigint      NOT NULL,
    frozen_at       timestamptz NOT NULL,
    reason          text        NOT NULL
);
GRANT INSERT ON journal_freeze TO ${app_role};

-- Per-grant limits set by the organization's admin (NULL: the platform's defaults), and the hours
-- the grant allows (NULL: any time).
ALTER TABLE app_grant
    ADD COLUMN new_patients_per_10_minutes int CHECK (new_patients_per_10_minutes > 0),
    ADD COLUMN patients_per_hour           int CHECK (patients_per_hour > 0),
    ADD COLUMN patients_per_day            int CHECK (patients_per_day > 0),
    ADD COLUMN appointments_per_hour       int CHECK (appointments_per_hour > 0),
    ADD COLUMN appointments_per_day        int CHECK (appointments_per_day > 0),
    ADD COLUMN allowed_from                time,
    ADD COLUMN allowed_to                  time,
    ADD COLUMN allowed_time_zone           text,
    ADD CHECK ((allowed_from IS NULL) = (allowed_to IS NULL) AND (allowed_from IS NULL) = (allowed_time_zone IS NULL));

-- A suspended app opens nothing, whatever its grants say; the limits travel with the grant.
DROP FUNCTION connected_app_active_grants(uuid);
CREATE FUNCTION connected_app_active_grants(p_app uuid)
    RETURNS TABLE (grant_id uuid, organization_id uuid, scopes text[], new_patients_per_10_minutes int,
                   patients_per_hour int, patients_per_day int, appointments_per_hour int,
                   appointments_per_day int, allowed_from time, allowed_to time, allowed_time_zone text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT g.id, g.organization_id, g.scopes, g.new_patients_per_10_minutes, g.patients_per_hour,
             g.patients_per_day, g.appointments_per_hour, g.appointments_per_day, g.allowed_from, g.allowed_to,
             g.allowed_time_zone
        FROM app_grant g JOIN connected_app a ON a.id = g.app_id
       WHERE g.app_id = p_app AND g.status = 'ACTIVE' AND a.status = 'ACTIVE' $$;
REVOKE ALL ON FUNCTION connected_app_active_grants(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION connected_app_active_grants(uuid) TO ${app_role};
