-- Platform foundations: extensions, the access settings every tenant policy reads, the event outbox.
-- Migrations run as the owner; the application role (${app_role}) owns nothing and is granted
-- only what it needs, table by table, so row-level security always applies to it.

CREATE EXTENSION IF NOT EXISTS btree_gist;

GRANT USAGE ON SCHEMA public TO ${app_role};

-- The organization the current transaction acts for (set with set_config(..., true)); NULL when unset.
CREATE FUNCTION access_org() RETURNS uuid
    LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('creneau.org_id', true), '')::uuid $$;

-- The account the current transaction acts for; NULL when unset.
CREATE FUNCTION access_account() RETURNS uuid
    LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('creneau.account_id', true), '')::uuid $$;

-- Spring Modulith's event publication registry (the outbox between modules).
CREATE TABLE event_publication
(
    id                     uuid        NOT NULL PRIMARY KEY,
    listener_id            text        NOT NULL,
    event_type             text        NOT NULL,
    serialized_event       text        NOT NULL,
    publication_date       timestamptz NOT NULL,
    completion_date        timestamptz,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamptz
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);
GRANT SELECT, INSERT, UPDATE, DELETE ON event_publication TO ${app_role};
