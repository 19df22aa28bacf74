-- Directory: organizations, sites, practitioners and visit motives.
-- This is public directory data: anyone may read it; only the organization set for the
-- transaction may change its own rows.

CREATE TABLE specialty
(
    code     text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{1,40}$'),
    label    text NOT NULL,
    position int  NOT NULL
);
GRANT SELECT ON specialty TO ${app_role};

INSERT INTO specialty (code, label, position)
VALUES ('medecin-generaliste', 'Médecin généraliste', 1),
       ('pediatre', 'Pédiatre', 2),
       ('dermatologue', 'Dermatologue', 3),
       ('ophtalmologue', 'Ophtalmologue', 4),
       ('gynecologue', 'Gynécologue', 5),
       ('chirurgien-dentiste', 'Chirurgien-dentiste', 6),
       ('masseur-kinesitherapeute', 'Masseur-kinésithérapeute', 7),
       ('psychiatre', 'Psychiatre', 8),
       ('cardiologue', 'Cardiologue', 9),
       ('orl', 'Oto-rhino-laryngologiste (ORL)', 10),
       ('sage-femme', 'Sage-femme', 11),
       ('osteopathe', 'Ostéopathe', 12);

CREATE TABLE organization
(
    id         uuid PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind       text        NOT NULL CHECK (kind IN ('PRACTICE', 'HEALTH_CENTRE', 'HOSPITAL')),
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE organization ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_public_read ON organization FOR SELECT USING (true);
CREATE POLICY organization_own_write ON organization FOR ALL
    USING (id = access_org()) WITH CHECK (id = access_org());
GRANT SELECT, INSERT, UPDATE ON organization TO ${app_role};

CREATE TABLE site
(
    id              uuid PRIMARY KEY,
    organization_id uuid             NOT NULL REFERENCES organization (id),
    name            text             NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address_line    text             NOT NULL,
    postcode        text             NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    city            text             NOT NULL,
    city_key        text             NOT NULL,
    latitude        double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    time_zone       text             NOT NULL,
    UNIQUE (organization_id, id)
);
CREATE INDEX site_city_key_idx ON site (city_key);
CREATE INDEX site_latitude_idx ON site (latitude, longitude);
ALTER TABLE site ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_public_read ON site FOR SELECT USING (true);
CREATE POLICY site_own_write ON site FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON site TO ${app_role};

CREATE TABLE practitioner
(
    id                        uuid PRIMARY KEY,
    organization_id           uuid    NOT NULL REFERENCES organization (id),
    first_name                text    NOT NULL,
    last_name                 text    NOT NULL,
    rpps                      text    NOT NULL CHECK (rpps ~ '^[0-9]{11}$'),
    specialty_code            text    NOT NULL REFERENCES specialty (code),
    languages                 text[]  NOT NULL DEFAULT '{fr}',
    accepts_new_patients      boolean NOT NULL DEFAULT true,
    min_notice_minutes        int     NOT NULL DEFAULT 60 CHECK (min_notice_minutes >= 0),
    horizon_days              int     NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730),
    cancellation_cutoff_hours int     NOT NULL DEFAULT 24 CHECK (cancellation_cutoff_hours >= 0),
    UNIQUE (organization_id, rpps),
    UNIQUE (organization_id, id)
);
CREATE INDEX practitioner_specialty_idx ON practitioner (specialty_code);
ALTER TABLE practitioner ENABLE ROW LEVEL SECURITY;
CREATE POLICY practitioner_public_read ON practitioner FOR SELECT USING (true);
CREATE POLICY practitioner_own_write ON practitioner FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON practitioner TO ${app_role};

CREATE TABLE visit_motive
(
    id                        uuid PRIMARY KEY,
    organization_id           uuid    NOT NULL,
    practitioner_id           uuid    NOT NULL,
    label                     text    NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    duration_minutes          int     NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    online_bookable           boolean NOT NULL DEFAULT true,
    new_patients_allowed      boolean NOT NULL DEFAULT true,
    instructions              text,
    min_notice_minutes        int CHECK (min_notice_minutes >= 0),
    horizon_days              int CHECK (horizon_days BETWEEN 1 AND 730),
    cancellation_cutoff_hours int CHECK (cancellation_cutoff_hours >= 0),
    position                  int     NOT NULL DEFAULT 0,
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    UNIQUE (organization_id, id)
);
CREATE INDEX visit_motive_practitioner_idx ON visit_motive (practitioner_id);
ALTER TABLE visit_motive ENABLE ROW LEVEL SECURITY;
CREATE POLICY visit_motive_public_read ON visit_motive FOR SELECT USING (true);
CREATE POLICY visit_motive_own_write ON visit_motive FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON visit_motive TO ${app_role};
