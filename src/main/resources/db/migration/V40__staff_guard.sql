-- Insider sweeps (issue #14): staff see the patient file of their own agendas only, and the guard
-- watches each staff account as it watches each app (what it was shown, its short searches, its
-- reads of agenda days far from today) and can contain the account.

-- Whether a patient-file entry belongs to these agendas: someone with an appointment on one of them,
-- or with no appointment at all yet (just filed by the desk, to be booked). Runs as the caller, under
-- the tenant and decoy walls; the patient file's search calls it instead of naming the appointments.
CREATE FUNCTION org_patient_on_agendas(p_org_patient uuid, p_agendas uuid[]) RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT EXISTS (SELECT 1 FROM appointment a
                    WHERE a.org_patient_id = p_org_patient AND a.practitioner_id = ANY (p_agendas))
        OR NOT EXISTS (SELECT 1 FROM appointment a WHERE a.org_patient_id = p_org_patient)
$$;

-- What one staff account was shown or asked, one row per item with the last time: patients (P),
-- agenda days far from today (D), short name searches (S, the normalized prefix). Identifiers, days
-- and prefixes only, never a name.
CREATE TABLE guard_account_seen
(
    organization_id uuid        NOT NULL REFERENCES organization (id),
    account_id      uuid        NOT NULL,
    kind            char(1)     NOT NULL CHECK (kind IN ('P', 'D', 'S')),
    item            text        NOT NULL,
    last_at         timestamptz NOT NULL,
    PRIMARY KEY (organization_id, account_id, kind, item)
);
CREATE INDEX guard_account_seen_last_idx ON guard_account_seen (organization_id, account_id, kind, last_at);
ALTER TABLE guard_account_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY guard_account_seen_of_org ON guard_account_seen FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON guard_account_seen TO ${app_role};

-- A contained staff account, until an admin of the organization lifts it: one row, so requests that
-- trip a signal at the same moment contain it once.
CREATE TABLE guard_account_containment
(
    organization_id uuid        NOT NULL REFERENCES organization (id),
    account_id      uuid        NOT NULL,
    alert_id        uuid        NOT NULL,
    contained_at    timestamptz NOT NULL,
    PRIMARY KEY (organization_id, account_id)
);
ALTER TABLE guard_account_containment ENABLE ROW LEVEL SECURITY;
CREATE POLICY guard_account_containment_of_org ON guard_account_containment FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, DELETE ON guard_account_containment TO ${app_role};

-- An alert names an app and its grant, or a staff account.
ALTER TABLE guard_alert
    ALTER COLUMN app_id DROP NOT NULL,
    ALTER COLUMN grant_id DROP NOT NULL,
    ADD COLUMN account_id uuid,
    ADD CONSTRAINT guard_alert_names_someone
        CHECK ((app_id IS NOT NULL AND grant_id IS NOT NULL) OR account_id IS NOT NULL);
