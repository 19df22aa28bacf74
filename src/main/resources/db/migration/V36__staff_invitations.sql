-- Invitations to join an organization's staff: its admin names an email, a role and rights on agendas;
-- the invited person follows the mailed link (single use, 7 days) and joins, as a new account or as
-- the account that already has that address. Only a SHA-256 hash of the link's token is kept.
CREATE TABLE staff_invitation
(
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organization (id),
    email           text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    role            text        NOT NULL CHECK (role IN ('PRACTITIONER', 'SECRETARY', 'ORG_ADMIN')),
    practitioner_id uuid,
    invited_by      uuid        NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    -- Set once, when the mail is written (the token exists only in that mail).
    token_hash      bytea UNIQUE CHECK (length(token_hash) = 32),
    accepted_at     timestamptz,
    accepted_by     uuid,
    revoked_at      timestamptz,
    CHECK (accepted_at IS NULL OR revoked_at IS NULL),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id)
);
CREATE INDEX staff_invitation_org_idx ON staff_invitation (organization_id, created_at DESC);
ALTER TABLE staff_invitation ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_invitation_of_org ON staff_invitation FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON staff_invitation TO ${app_role};

-- The rights on agendas the invited person gets on joining.
CREATE TABLE staff_invitation_right
(
    organization_id     uuid    NOT NULL,
    invitation_id       uuid    NOT NULL,
    practitioner_id     uuid    NOT NULL,
    view_appointments   boolean NOT NULL,
    manage_appointments boolean NOT NULL,
    manage_settings     boolean NOT NULL,
    PRIMARY KEY (organization_id, invitation_id, practitioner_id),
    FOREIGN KEY (organization_id, invitation_id) REFERENCES staff_invitation (organization_id, id),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id)
);
ALTER TABLE staff_invitation_right ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_invitation_right_of_org ON staff_invitation_right FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT ON staff_invitation_right TO ${app_role};

-- A link is followed before anyone is known: this returns, for one token's hash, only which
-- invitation of which organization it opens.
CREATE FUNCTION staff_invitation_for_token(p_hash bytea)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT i.id, i.organization_id FROM staff_invitation i WHERE i.token_hash = p_hash $$;
REVOKE ALL ON FUNCTION staff_invitation_for_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION staff_invitation_for_token(bytea) TO ${app_role};
