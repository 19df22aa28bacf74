-- The access journal: every read and write of patient or appointment data, in one hash chain.
-- The application role can neither read nor change these tables: it appends through
-- journal_append only, and reads a patient's own accesses through journal_accesses_of_account.

CREATE TABLE journal_entry
(
    seq        bigint PRIMARY KEY,
    recorded_at     timestamptz NOT NULL,
    actor_kind      text        NOT NULL CHECK (actor_kind IN ('ACCOUNT', 'APP', 'PLATFORM')),
    actor_id        uuid,
    actor_role      text,
    grant_id        uuid,
    organization_id uuid,
    route           text        NOT NULL,
    purpose         text        NOT NULL,
    resource_type   text        NOT NULL,
    resource_ids    uuid[]      NOT NULL,
    fields          text[]      NOT NULL,
    outcome         text        NOT NULL,
    canonical       text        NOT NULL,
    previous_hash   bytea       NOT NULL,
    hash            bytea       NOT NULL
);
CREATE INDEX journal_entry_org_time_idx ON journal_entry (organization_id, recorded_at);
CREATE INDEX journal_entry_actor_time_idx ON journal_entry (actor_id, recorded_at);
CREATE INDEX journal_entry_resources_idx ON journal_entry USING gin (resource_ids);

-- The end of the chain; appends lock it, so entries from any number of nodes form one order.
CREATE TABLE journal_head
(
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq  bigint NOT NULL,
    hash      bytea  NOT NULL
);
INSERT INTO journal_head (singleton, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

-- Signed checkpoints (also written as files outside the database).
CREATE TABLE journal_checkpoint
(
    seq  bigint PRIMARY KEY,
    hash      bytea       NOT NULL,
    signed_at timestamptz NOT NULL,
    signature bytea       NOT NULL
);

-- Appends one entry: the canonical text is seq|body, and hash = sha256(previous hash || text).
CREATE FUNCTION journal_append(p_recorded_at timestamptz, p_actor_kind text, p_actor_id uuid, p_actor_role text,
                               p_grant_id uuid, p_organization_id uuid, p_route text, p_purpose text,
                               p_resource_type text, p_resource_ids uuid[], p_fields text[], p_outcome text,
                               p_body text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    head      journal_head;
    next_pos  bigint;
    text_form text;
    new_hash  bytea;
BEGIN
    SELECT * INTO head FROM journal_head WHERE singleton FOR UPDATE;
    next_pos := head.seq + 1;
    text_form := next_pos::text || '|' || p_body;
    new_hash := sha256(head.hash || convert_to(text_form, 'UTF8'));
    INSERT INTO journal_entry (seq, recorded_at, actor_kind, actor_id, actor_role, grant_id, organization_id,
                               route, purpose, resource_type, resource_ids, fields, outcome, canonical,
                               previous_hash, hash)
    VALUES (next_pos, p_recorded_at, p_actor_kind, p_actor_id, p_actor_role, p_grant_id, p_organization_id,
            p_route, p_purpose, p_resource_type, p_resource_ids, p_fields, p_outcome, text_form, head.hash,
            new_hash);
    UPDATE journal_head SET seq = next_pos, hash = new_hash WHERE singleton;
    RETURN next_pos;
END
$$;
REVOKE ALL ON FUNCTION journal_append(timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[], text[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_append(timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[], text[], text, text) TO ${app_role};

-- The chain's end, to sign a checkpoint of it.
CREATE FUNCTION journal_head_now()
    RETURNS TABLE (seq bigint, hash bytea)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT h.seq, h.hash FROM journal_head h WHERE h.singleton $$;
REVOKE ALL ON FUNCTION journal_head_now() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_head_now() TO ${app_role};

CREATE FUNCTION journal_record_checkpoint(p_position bigint, p_hash bytea, p_signed_at timestamptz, p_signature bytea)
    RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
AS $$ INSERT INTO journal_checkpoint (seq, hash, signed_at, signature) VALUES (p_position, p_hash, p_signed_at, p_signature)
      ON CONFLICT (seq) DO NOTHING $$;
REVOKE ALL ON FUNCTION journal_record_checkpoint(bigint, bytea, timestamptz, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_record_checkpoint(bigint, bytea, timestamptz, bytea) TO ${app_role};

-- Who accessed the appointments of the people of one patient account (the account set for the
-- transaction), newest first: actor kind, role and time only, no other patient's data.
CREATE FUNCTION journal_accesses_of_account(p_limit int, p_offset int)
    RETURNS TABLE (recorded_at timestamptz, actor_kind text, actor_id uuid, actor_role text, organization_id uuid,
                   resource_type text, purpose text, total bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    WITH mine AS (
        SELECT a.id FROM appointment a WHERE a.booked_by_account_id = access_account()
    ), hits AS (
        SELECT j.* FROM journal_entry j
         WHERE j.resource_type = 'Appointment'
           AND j.resource_ids && ARRAY(SELECT id FROM mine)
           AND NOT (j.actor_kind = 'ACCOUNT' AND j.actor_id = access_account())
    )
    SELECT h.recorded_at, h.actor_kind, h.actor_id, h.actor_role, h.organization_id, h.resource_type, h.purpose,
           count(*) OVER ()
      FROM hits h
     ORDER BY h.recorded_at DESC, h.seq DESC
     LIMIT least(p_limit, 50) OFFSET p_offset
$$;
REVOKE ALL ON FUNCTION journal_accesses_of_account(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_accesses_of_account(int, int) TO ${app_role};
