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

-- Notifications write to an account they act for no one of: this returns its language only.
CREATE FUNCTION account_language(p_account uuid)
    RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT a.language FROM account a WHERE a.id = p_account $$;
REVOKE ALL ON FUNCTION account_language(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_language(uuid) TO ${app_role};
