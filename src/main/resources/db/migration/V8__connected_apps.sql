-- Connected apps (third-party software reaching the API through SMART Backend Services), the
-- grants each organization gives them, and the client-assertion identifiers already used.

-- The platform's registry of apps: no organization, registered by a platform admin.
CREATE TABLE connected_app
(
    id             uuid PRIMARY KEY,
    client_id      text        NOT NULL UNIQUE,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    contact_email  text        NOT NULL CHECK (length(contact_email) BETWEEN 3 AND 254),
    jwks_url       text CHECK (jwks_url ~ '^https?://'),
    jwks           jsonb,
    allowed_scopes text[]      NOT NULL CHECK (cardinality(allowed_scopes) > 0),
    status         text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    -- One source of keys: a URL the app publishes, or a key set given at registration.
    CHECK ((jwks_url IS NULL) <> (jwks IS NULL))
);
CREATE INDEX connected_app_created_idx ON connected_app (created_at, id);
GRANT SELECT, INSERT, UPDATE ON connected_app TO ${app_role};

-- What one organization lets one app do: tenant data, behind row-level security.
CREATE TABLE app_grant
(
    id               uuid PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organization (id),
    app_id           uuid        NOT NULL REFERENCES connected_app (id),
    scopes           text[]      NOT NULL CHECK (cardinality(scopes) > 0),
    -- NULL: every agenda of the organization; else only these practitioners' agendas.
    practitioner_ids uuid[],
    contact_details  boolean     NOT NULL,
    status           text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    granted_by_account_id uuid,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (organization_id, id)
);
-- One live grant per app and organization; revoked grants stay as they were, for the record, and
-- the app may be granted again.
CREATE UNIQUE INDEX app_grant_one_live_idx ON app_grant (organization_id, app_id) WHERE status <> 'REVOKED';
CREATE INDEX app_grant_app_idx ON app_grant (app_id) WHERE status = 'ACTIVE';
CREATE INDEX app_grant_org_created_idx ON app_grant (organization_id, created_at, id);
ALTER TABLE app_grant ENABLE ROW LEVEL SECURITY;
CREATE POLICY app_grant_of_org ON app_grant FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON app_grant TO ${app_role};

-- The token endpoint authenticates an app before any organization is known: this function returns
-- only the ids and scopes of one app's active grants, across organizations.
CREATE FUNCTION connected_app_active_grants(p_app uuid)
    RETURNS TABLE (grant_id uuid, organization_id uuid, scopes text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT g.id, g.organization_id, g.scopes FROM app_grant g WHERE g.app_id = p_app AND g.status = 'ACTIVE' $$;
REVOKE ALL ON FUNCTION connected_app_active_grants(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION connected_app_active_grants(uuid) TO ${app_role};

-- Client assertions already accepted, kept until they expire, so none is accepted twice.
CREATE TABLE client_assertion_jti
(
    client_id  text        NOT NULL,
    jti        text        NOT NULL CHECK (length(jti) BETWEEN 1 AND 255),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jti_expiry_idx ON client_assertion_jti (expires_at);
GRANT SELECT, INSERT, DELETE ON client_assertion_jti TO ${app_role};
