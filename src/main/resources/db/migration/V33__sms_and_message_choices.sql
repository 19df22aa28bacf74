-- Messages by SMS and the choices around them (issue #13).

-- The SMS gateway of a platform without an SMS provider (the default in development): each SMS the
-- delivery workers hand over is a row here, keyed by its message's id (a copy handed over again
-- after a crash adds nothing). The platform admin reads it; no tenant column, like `message`.
CREATE TABLE sms_outbox
(
    id         uuid        PRIMARY KEY,
    recipient  text        NOT NULL CHECK (length(recipient) BETWEEN 3 AND 32),
    sender     text        NOT NULL CHECK (length(sender) BETWEEN 1 AND 32),
    body       text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX sms_outbox_recent_idx ON sms_outbox (created_at DESC, id);
GRANT SELECT, INSERT, DELETE ON sms_outbox TO ${app_role};

-- A patient's choice of SMS for their appointments' confirmation and the practice's changes (off
-- unless they turned it on; reminders by SMS follow the organization's choice and the patient's
-- reminders switch). The notifications module's own: no other module reads it.
CREATE TABLE message_preference
(
    account_id uuid        PRIMARY KEY,
    sms        boolean     NOT NULL,
    updated_at timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON message_preference TO ${app_role};

-- An organization may name the motive in the body of its emails (never in a subject, never by SMS).
ALTER TABLE reminder_policy ADD COLUMN motive_in_email boolean NOT NULL DEFAULT false;
