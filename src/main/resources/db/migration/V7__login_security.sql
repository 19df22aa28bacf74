-- Login security: the second factor (TOTP and recovery codes), login throttling shared by every
-- node, and HTTP sessions kept in PostgreSQL (Spring Session JDBC).

-- One TOTP secret per account. Unconfirmed until the account proves it holds it with a first code.
-- last_used_step is the last 30-second step accepted: a code of that step or an earlier one is
-- refused, so a code seen over a shoulder or in a log cannot be played again.
CREATE TABLE account_totp
(
    account_id     uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    secret         text        NOT NULL CHECK (secret ~ '^[A-Z2-7]{16,128}$'),
    confirmed_at   timestamptz,
    last_used_step bigint,
    created_at     timestamptz NOT NULL
);
ALTER TABLE account_totp ENABLE ROW LEVEL SECURITY;
-- An account reads and changes only its own second factor.
CREATE POLICY account_totp_self ON account_totp FOR ALL
    USING (account_id = access_account()) WITH CHECK (account_id = access_account());
-- A practice may set up the second factor of its own staff (and the demo does, as the practice).
CREATE POLICY account_totp_provisioned_by_org ON account_totp FOR INSERT
    WITH CHECK (access_org() IS NOT NULL AND EXISTS (SELECT 1
                                                       FROM staff_member s
                                                      WHERE s.account_id = account_totp.account_id
                                                        AND s.organization_id = access_org()));
GRANT SELECT, INSERT, UPDATE, DELETE ON account_totp TO ${app_role};

-- One-time recovery codes, shown once at enrolment; only their SHA-256 is kept (the codes carry
-- about 80 random bits, so a slow hash adds nothing).
CREATE TABLE recovery_code
(
    account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_hash  text        NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (account_id, code_hash)
);
ALTER TABLE recovery_code ENABLE ROW LEVEL SECURITY;
CREATE POLICY recovery_code_self ON recovery_code FOR ALL
    USING (account_id = access_account()) WITH CHECK (account_id = access_account());
GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_code TO ${app_role};

-- Failed sign-in attempts per account (or per unknown address, hashed) and per client address.
-- Not tenant data: it is read before anyone is known, by whichever node takes the request.
CREATE TABLE login_throttle
(
    kind            text        NOT NULL CHECK (kind IN ('ACCOUNT', 'ADDRESS')),
    subject         text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 100),
    failures        int         NOT NULL CHECK (failures >= 0),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz,
    PRIMARY KEY (kind, subject)
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO ${app_role};

-- Spring Session JDBC (its PostgreSQL schema), so that any node can serve any session.
CREATE TABLE spring_session
(
    primary_id            char(36) NOT NULL,
    session_id            char(36) NOT NULL,
    creation_time         bigint   NOT NULL,
    last_access_time      bigint   NOT NULL,
    max_inactive_interval int      NOT NULL,
    expiry_time           bigint   NOT NULL,
    principal_name        varchar(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes
(
    session_primary_id char(36)     NOT NULL,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
GRANT SELECT, INSERT, UPDATE, DELETE ON spring_session, spring_session_attributes TO ${app_role};
