-- Availability: weekly opening ranges (public, they are what search shows) and absences
-- (private to the organization: the reason is nobody else's business; their busy time is
-- read through busy_periods only).

CREATE TABLE opening_range
(
    id              uuid PRIMARY KEY,
    organization_id uuid     NOT NULL,
    practitioner_id uuid     NOT NULL,
    site_id         uuid     NOT NULL,
    weekday         smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time      time     NOT NULL,
    end_time        time     NOT NULL,
    valid_from      date     NOT NULL,
    valid_until     date,
    CHECK (end_time > start_time),
    CHECK (valid_until IS NULL OR valid_until >= valid_from),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    FOREIGN KEY (organization_id, site_id) REFERENCES site (organization_id, id),
    UNIQUE (organization_id, id)
);
CREATE INDEX opening_range_practitioner_idx ON opening_range (practitioner_id, site_id);
ALTER TABLE opening_range ENABLE ROW LEVEL SECURITY;
CREATE POLICY opening_range_public_read ON opening_range FOR SELECT USING (true);
CREATE POLICY opening_range_own_write ON opening_range FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON opening_range TO ${app_role};

CREATE TABLE opening_range_motive
(
    organization_id  uuid NOT NULL,
    opening_range_id uuid NOT NULL,
    motive_id        uuid NOT NULL,
    PRIMARY KEY (organization_id, opening_range_id, motive_id),
    FOREIGN KEY (organization_id, opening_range_id) REFERENCES opening_range (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, motive_id) REFERENCES visit_motive (organization_id, id)
);
CREATE INDEX opening_range_motive_motive_idx ON opening_range_motive (motive_id);
-- Slot computation reads the motives of each range it lays out.
CREATE INDEX opening_range_motive_range_idx ON opening_range_motive (opening_range_id);
ALTER TABLE opening_range_motive ENABLE ROW LEVEL SECURITY;
CREATE POLICY opening_range_motive_public_read ON opening_range_motive FOR SELECT USING (true);
CREATE POLICY opening_range_motive_own_write ON opening_range_motive FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, DELETE ON opening_range_motive TO ${app_role};

CREATE TABLE absence
(
    id              uuid PRIMARY KEY,
    organization_id uuid      NOT NULL,
    practitioner_id uuid      NOT NULL,
    period          tstzrange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    reason          text,
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    UNIQUE (organization_id, id)
);
CREATE INDEX absence_practitioner_period_idx ON absence USING gist (practitioner_id, period);
ALTER TABLE absence ENABLE ROW LEVEL SECURITY;
CREATE POLICY absence_own ON absence FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON absence TO ${app_role};
