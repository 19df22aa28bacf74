-- The history of appointments and patients: every insert and update keeps who (account, or app and
-- grant), when, which fields, and their old and new values, in the same transaction as the change.
--
-- Written by triggers rather than by each writer: appointments and patients are changed by the
-- booking code, the desk, connected apps, security-definer functions (hold expiry, filing a patient,
-- a relative's removal) and the demo import; a trigger misses none of them, nor a future one. The
-- actor is read from the transaction's settings, as the tenant wall reads its caller (TenantScope
-- sets them): creneau.account_id for an account, creneau.actor_app and creneau.actor_grant for a
-- connected app's change carried out by the platform (creneau.grant_id when acting through a grant),
-- none for the platform itself; creneau.now is the application's clock. The trigger functions are
-- security definers: the application role may read the history of its organization, never write or
-- change it. Values are stored as the tables hold them today (in clear); the keyring issue encrypts
-- them together with the tables.

-- Who the transaction acts for, as the history names it: ACCOUNT (patient or staff), APP, or PLATFORM.
CREATE FUNCTION history_actor(OUT kind text, OUT actor_id uuid, OUT grant_id uuid)
    LANGUAGE sql STABLE
AS $$
    SELECT CASE
               WHEN coalesce(nullif(current_setting('creneau.actor_grant', true), ''),
                             nullif(current_setting('creneau.grant_id', true), '')) IS NOT NULL THEN 'APP'
               WHEN nullif(current_setting('creneau.account_id', true), '') IS NOT NULL THEN 'ACCOUNT'
               ELSE 'PLATFORM'
           END,
           coalesce(nullif(current_setting('creneau.actor_app', true), ''),
                    nullif(current_setting('creneau.account_id', true), ''))::uuid,
           coalesce(nullif(current_setting('creneau.actor_grant', true), ''),
                    nullif(current_setting('creneau.grant_id', true), ''))::uuid
$$;

-- The fields that differ between two versions of a row (ignoring those given), with their old and
-- new values; for an insert (no old row) every field set.
CREATE FUNCTION history_diff(p_old jsonb, p_new jsonb, p_ignored text[],
                             OUT fields text[], OUT before jsonb, OUT after jsonb)
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(array_agg(d.k ORDER BY d.k), '{}'),
           coalesce(jsonb_object_agg(d.k, p_old -> d.k) FILTER (WHERE p_old IS NOT NULL), '{}'),
           coalesce(jsonb_object_agg(d.k, p_new -> d.k), '{}')
      FROM (SELECT k
              FROM jsonb_object_keys(p_new) AS k
             WHERE k <> ALL (p_ignored)
               AND (p_old -> k) IS DISTINCT FROM (p_new -> k)
               AND NOT (p_old IS NULL AND p_new -> k = 'null'::jsonb)) d
$$;

CREATE TABLE appointment_history
(
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid        NOT NULL,
    appointment_id  uuid        NOT NULL,
    version         int         NOT NULL,
    operation       text        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE')),
    changed_at      timestamptz NOT NULL,
    actor_kind      text        NOT NULL CHECK (actor_kind IN ('ACCOUNT', 'APP', 'PLATFORM')),
    actor_id        uuid,
    grant_id        uuid,
    fields          text[]      NOT NULL,
    before          jsonb       NOT NULL,
    after           jsonb       NOT NULL,
    -- The whole row after the change: what FHIR vread shows of that version.
    snapshot        jsonb       NOT NULL
);
CREATE INDEX appointment_history_record_idx ON appointment_history (organization_id, appointment_id, version);
CREATE INDEX appointment_history_actor_idx ON appointment_history (actor_id, changed_at);
CREATE INDEX appointment_history_grant_idx ON appointment_history (grant_id, changed_at) WHERE grant_id IS NOT NULL;
ALTER TABLE appointment_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY appointment_history_of_org ON appointment_history FOR SELECT
    USING (organization_id = access_org());
GRANT SELECT ON appointment_history TO ${app_role};

CREATE FUNCTION appointment_history_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    actor record;
    diff  record;
    old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
BEGIN
    -- Canary records stay out of the history as they stay out of every other read.
    IF NEW.decoy THEN
        RETURN NULL;
    END IF;
    SELECT * INTO diff FROM history_diff(old_row, to_jsonb(NEW), ARRAY['updated_at', 'version']);
    IF TG_OP = 'UPDATE' AND cardinality(diff.fields) = 0 THEN
        RETURN NULL;
    END IF;
    SELECT * INTO actor FROM history_actor();
    INSERT INTO appointment_history (organization_id, appointment_id, version, operation, changed_at, actor_kind,
                                     actor_id, grant_id, fields, before, after, snapshot)
    VALUES (NEW.organization_id, NEW.id, NEW.version, TG_OP, NEW.updated_at, actor.kind, actor.actor_id,
            actor.grant_id, diff.fields, diff.before, diff.after, to_jsonb(NEW));
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION appointment_history_record() FROM PUBLIC;
CREATE TRIGGER appointment_history_after_change
    AFTER INSERT OR UPDATE ON appointment
    FOR EACH ROW EXECUTE FUNCTION appointment_history_record();

-- The patients module's history: entries of an organization's patient file (org_patient) and the
-- people behind patient accounts (patient: no organization, the account's).
CREATE TABLE patient_history
(
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_kind     text        NOT NULL CHECK (record_kind IN ('ORG_PATIENT', 'PATIENT')),
    record_id       uuid        NOT NULL,
    organization_id uuid,
    account_id      uuid,
    operation       text        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE')),
    changed_at      timestamptz NOT NULL,
    actor_kind      text        NOT NULL CHECK (actor_kind IN ('ACCOUNT', 'APP', 'PLATFORM')),
    actor_id        uuid,
    grant_id        uuid,
    fields          text[]      NOT NULL,
    before          jsonb       NOT NULL,
    after           jsonb       NOT NULL,
    CHECK ((record_kind = 'ORG_PATIENT') = (organization_id IS NOT NULL))
);
CREATE INDEX patient_history_record_idx ON patient_history (organization_id, record_id);
CREATE INDEX patient_history_actor_idx ON patient_history (actor_id, changed_at);
CREATE INDEX patient_history_grant_idx ON patient_history (grant_id, changed_at) WHERE grant_id IS NOT NULL;
ALTER TABLE patient_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY patient_history_of_org ON patient_history FOR SELECT
    USING (organization_id = access_org());
CREATE POLICY patient_history_of_account ON patient_history FOR SELECT
    USING (account_id = access_account());
GRANT SELECT ON patient_history TO ${app_role};

CREATE FUNCTION patient_history_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    actor   record;
    diff    record;
    new_row jsonb := to_jsonb(NEW);
    old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    kind    text := CASE WHEN TG_TABLE_NAME = 'org_patient' THEN 'ORG_PATIENT' ELSE 'PATIENT' END;
BEGIN
    IF (new_row ->> 'decoy')::boolean IS TRUE THEN
        RETURN NULL;
    END IF;
    SELECT * INTO diff FROM history_diff(old_row, new_row, ARRAY['search_name']);
    IF TG_OP = 'UPDATE' AND cardinality(diff.fields) = 0 THEN
        RETURN NULL;
    END IF;
    SELECT * INTO actor FROM history_actor();
    INSERT INTO patient_history (record_kind, record_id, organization_id, account_id, operation, changed_at,
                                 actor_kind, actor_id, grant_id, fields, before, after)
    VALUES (kind, NEW.id,
            CASE WHEN kind = 'ORG_PATIENT' THEN (new_row ->> 'organization_id')::uuid END,
            CASE WHEN kind = 'PATIENT' THEN (new_row ->> 'account_id')::uuid END,
            TG_OP,
            coalesce(nullif(current_setting('creneau.now', true), '')::timestamptz, statement_timestamp()),
            actor.kind, actor.actor_id, actor.grant_id, diff.fields, diff.before, diff.after);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION patient_history_record() FROM PUBLIC;
CREATE TRIGGER org_patient_history_after_change
    AFTER INSERT OR UPDATE ON org_patient
    FOR EACH ROW EXECUTE FUNCTION patient_history_record();
CREATE TRIGGER patient_history_after_change
    AFTER INSERT OR UPDATE ON patient
    FOR EACH ROW EXECUTE FUNCTION patient_history_record();
