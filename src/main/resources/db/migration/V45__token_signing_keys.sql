-- The keys that sign connected apps' access tokens, shared by every node (issue #16): the newest
-- signs, every key not yet retired is published at /oauth2/jwks, so a token from any node verifies
-- on every other and a rotation never cuts a token short. The private JWK is kept as it is until
-- the keyring (issue #15) encrypts it; set CRENEAU_CONNECT_TOKEN_SIGNING_KEY to keep it out of the
-- database altogether.
CREATE TABLE token_signing_key
(
    kid        text PRIMARY KEY,
    jwk        text        NOT NULL,
    created_at timestamptz NOT NULL,
    -- Set when a newer key takes over: published until then, deleted after.
    retires_at timestamptz
);
CREATE UNIQUE INDEX token_signing_key_one_current ON token_signing_key ((true)) WHERE retires_at IS NULL;
GRANT SELECT, INSERT, UPDATE, DELETE ON token_signing_key TO ${app_role};
