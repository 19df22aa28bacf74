-- Links mailed to an account's owner: verifying the email address given at registration, and
-- resetting a forgotten password. Only a SHA-256 hash of each link's token is kept; the token itself
-- exists in the mail alone (the outbox erases a message's content once it is sent).

-- When the owner proved the address is theirs; null until then (docs/pages.md says what waits for it).
ALTER TABLE account ADD COLUMN email_verified_at timestamptz;
-- Accounts made before verification existed (demo, staff created by an admin) are taken as verified.
UPDATE account SET email_verified_at = created_at;

-- Not tenant data: a link is followed before anyone is signed in, on whichever node takes it.
CREATE TABLE account_link
(
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    purpose    text        NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
    account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- The event that asked for it: a listener handed the same event again issues no second link.
    event_key  text        NOT NULL UNIQUE CHECK (length(event_key) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_link_account_idx ON account_link (account_id, purpose);
CREATE INDEX account_link_expires_idx ON account_link (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON account_link TO ${app_role};

-- Requests for a link (a password reset, a verification sent again), for their rate limits: per
-- client address and per account. The address is kept hashed; rows older than a day are purged.
CREATE TABLE account_link_request
(
    id           uuid        PRIMARY KEY,
    purpose      text        NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
    address_hash text        NOT NULL CHECK (length(address_hash) BETWEEN 1 AND 100),
    account_id   uuid,
    requested_at timestamptz NOT NULL
);
CREATE INDEX account_link_request_address_idx ON account_link_request (address_hash, requested_at);
CREATE INDEX account_link_request_account_idx ON account_link_request (account_id, requested_at);
CREATE INDEX account_link_request_at_idx ON account_link_request (requested_at);
GRANT SELECT, INSERT, DELETE ON account_link_request TO ${app_role};

-- Whether an account verified its email: read for an account no one is signed in as (a message's
-- recipient, a link's owner); says nothing else of it.
CREATE FUNCTION account_email_verified(p_account uuid)
    RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT a.email_verified_at IS NOT NULL FROM account a WHERE a.id = p_account $$;
REVOKE ALL ON FUNCTION account_email_verified(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_email_verified(uuid) TO ${app_role};
