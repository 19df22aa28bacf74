-- Messages (notifications): the durable outbox between a domain event and a channel. A module
-- listener turns an event into rows here (the event publication registry makes that step survive a
-- crash); a delivery worker on any node claims due rows with FOR UPDATE SKIP LOCKED, sends them and
-- marks them sent, or tries again later, or marks them failed with the reason.
CREATE TABLE message
(
    id              uuid        PRIMARY KEY,
    -- What caused it (an event's objects and time), so a replayed event adds no second message.
    event_key       text        NOT NULL CHECK (length(event_key) BETWEEN 1 AND 200),
    recipient       text        NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    channel         text        NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
    kind            text        NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
    -- The identifier logs name instead of the recipient.
    reference       text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    subject         text,
    body_text       text,
    body_html       text,
    attachment_name text,
    attachment_type text,
    attachment      bytea,
    status          text        NOT NULL DEFAULT 'PENDING'
                                CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    attempts        int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When PENDING: the earliest next attempt. When SENDING: when the worker's claim lapses.
    next_attempt_at timestamptz NOT NULL,
    claimed_by      text,
    last_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    CONSTRAINT message_once UNIQUE (event_key, recipient, channel, kind)
);
-- What the workers claim: only rows still to send, in the order they fall due.
CREATE INDEX message_due_idx ON message (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');
-- What the platform admin reads.
CREATE INDEX message_failed_idx ON message (created_at DESC, id) WHERE status = 'FAILED';
-- No tenant column: the outbox is the platform's; the application reads it only from the
-- notifications module (workers, the platform admin's list).
GRANT SELECT, INSERT, UPDATE, DELETE ON message TO ${app_role};

-- The language an account's messages are written in: the one its owner registered in.
ALTER TABLE account ADD COLUMN language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en'));

-- Reminders are non-essential: a patient may turn them off (security messages cannot be).
ALTER TABLE account ADD COLUMN reminders boolean NOT NULL DEFAULT true;

-- Notifications write to accounts they act for no one of: this returns, for each account given, only
-- the language of its messages and whether it wants reminders.
CREATE FUNCTION account_message_settings(p_accounts uuid[])
    RETURNS TABLE (id uuid, language text, reminders boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT a.id, a.language, a.reminders FROM account a WHERE a.id = ANY (p_accounts) $$;
REVOKE ALL ON FUNCTION account_message_settings(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_message_settings(uuid[]) TO ${app_role};

-- Reminders to come: one row per appointment and lead time, written when it is booked, due at its
-- start minus the lead. The reminder run takes the due ones by due_at (an index range, never a scan
-- of appointments), sends what the organization's choice asks for, and deletes them.
CREATE TABLE reminder
(
    appointment_id  uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    lead            text        NOT NULL CHECK (lead IN ('DAYS_7', 'HOURS_48', 'HOURS_24', 'HOURS_2')),
    start_at        timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    PRIMARY KEY (appointment_id, lead)
);
CREATE INDEX reminder_due_idx ON reminder (due_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON reminder TO ${app_role};

-- Each organization's choice of reminders, by channel; none means the default (48 h by email,
-- 24 h by SMS). Written by the organization's admin only (the caller's organization).
CREATE TABLE reminder_policy
(
    organization_id uuid   PRIMARY KEY,
    email_leads     text[] NOT NULL,
    sms_leads       text[] NOT NULL
);
ALTER TABLE reminder_policy ENABLE ROW LEVEL SECURITY;
CREATE POLICY reminder_policy_of_org ON reminder_policy FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON reminder_policy TO ${app_role};
