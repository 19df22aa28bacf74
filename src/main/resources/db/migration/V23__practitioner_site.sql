-- Where a practitioner consults: the sites of their opening ranges, as the directory states them.
-- The directory answers "which sites" and "who consults here" (search candidates) from its own
-- table; availability keeps it in step with the opening ranges it owns, through the directory's API,
-- in the transaction that changes them (module walls: only the directory's SQL names this table).

CREATE TABLE practitioner_site
(
    organization_id uuid NOT NULL,
    practitioner_id uuid NOT NULL,
    site_id         uuid NOT NULL,
    PRIMARY KEY (organization_id, practitioner_id, site_id),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    FOREIGN KEY (organization_id, site_id) REFERENCES site (organization_id, id)
);
-- Search looks up a (practitioner, site) pair; a practitioner's page lists their sites.
CREATE INDEX practitioner_site_practitioner_idx ON practitioner_site (practitioner_id, site_id);
ALTER TABLE practitioner_site ENABLE ROW LEVEL SECURITY;
CREATE POLICY practitioner_site_public_read ON practitioner_site FOR SELECT USING (true);
CREATE POLICY practitioner_site_own_write ON practitioner_site FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, DELETE ON practitioner_site TO ${app_role};

INSERT INTO practitioner_site (organization_id, practitioner_id, site_id)
SELECT DISTINCT organization_id, practitioner_id, site_id FROM opening_range;
