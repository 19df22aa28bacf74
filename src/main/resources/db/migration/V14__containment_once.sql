-- A grant the guard has contained and no admin has resumed yet: one row, so that a signal firing
-- on several request threads at once contains the grant (freezes the journal, raises the alert)
-- once. Resuming the grant removes it.
CREATE TABLE guard_containment
(
    organization_id uuid        NOT NULL REFERENCES organization (id),
    grant_id        uuid        NOT NULL,
    alert_id        uuid        NOT NULL,
    contained_at    timestamptz NOT NULL,
    PRIMARY KEY (organization_id, grant_id)
);
ALTER TABLE guard_containment ENABLE ROW LEVEL SECURITY;
CREATE POLICY guard_containment_of_org ON guard_containment FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, DELETE ON guard_containment TO ${app_role};
