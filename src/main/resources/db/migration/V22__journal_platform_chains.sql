-- Entries with no organization (a patient's own bookings and reads, platform actions) all went to
-- the one 'platform' chain, whose head row every such append locked until its commit, flush to disk
-- included: every patient's booking on the platform waited for every other's (the booking benchmark's
-- journal_append lock waits). They now go to one of 16 platform chains, chosen by the actor, so
-- one actor's entries stay in order in one chain and different actors' appends rarely wait on each
-- other. The old 'platform' chain keeps its entries and its head and receives no more; verification
-- and checkpoints already take any number of chains. Only the choice of chain changes.

CREATE OR REPLACE FUNCTION journal_append(p_recorded_at timestamptz, p_actor_kind text, p_actor_id uuid,
                                          p_actor_role text, p_grant_id uuid, p_organization_id uuid,
                                          p_route text, p_purpose text, p_resource_type text,
                                          p_resource_ids uuid[], p_fields text[], p_outcome text, p_body text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    -- An actor's entries stay in one chain, in order; actors spread over 16 platform chains.
    chain     text := coalesce(p_organization_id::text,
                               'platform-' || (abs(hashtext(coalesce(p_actor_id::text, ''))::bigint) % 16));
    head      journal_chain_head;
    next_pos  bigint;
    entry_seq bigint;
    text_form text;
    new_hash  bytea;
BEGIN
    SELECT * INTO head FROM journal_chain_head WHERE chain_id = chain FOR UPDATE;
    IF NOT FOUND THEN
        -- The chain's first entry: two first appends at once insert one head, the second waits on it.
        INSERT INTO journal_chain_head (chain_id, seq, hash) VALUES (chain, 0, decode(repeat('00', 32), 'hex'))
        ON CONFLICT (chain_id) DO NOTHING;
        SELECT * INTO head FROM journal_chain_head WHERE chain_id = chain FOR UPDATE;
    END IF;
    IF head.closed THEN
        RAISE EXCEPTION 'journal chain % is closed', chain;
    END IF;
    next_pos := head.seq + 1;
    entry_seq := nextval('journal_entry_seq');
    text_form := chain || '|' || next_pos::text || '|' || p_body;
    new_hash := sha256(head.hash || convert_to(text_form, 'UTF8'));
    INSERT INTO journal_entry (seq, chain_id, chain_seq, recorded_at, actor_kind, actor_id, actor_role, grant_id,
                               organization_id, route, purpose, resource_type, resource_ids, fields, outcome,
                               canonical, previous_hash, hash)
    VALUES (entry_seq, chain, next_pos, p_recorded_at, p_actor_kind, p_actor_id, p_actor_role, p_grant_id,
            p_organization_id, p_route, p_purpose, p_resource_type, p_resource_ids, p_fields, p_outcome, text_form,
            head.hash, new_hash);
    UPDATE journal_chain_head SET seq = next_pos, hash = new_hash WHERE chain_id = chain;
    RETURN entry_seq;
END
$$;

-- Rate limits in one statement. Bucket4j's PostgreSQL buckets took a pooled connection, a SELECT ...
-- FOR UPDATE, an UPDATE, a SET LOCAL and a COMMIT per request: four round trips before any request
-- was served. The same token bucket (capacity per minute, refilled a little at a time) is kept here
-- as its "theoretical arrival time" (GCRA): each request moves it one interval later; a request is
-- refused while that would put it more than a whole minute's capacity ahead of now. One
-- INSERT ... ON CONFLICT, one round trip, committed without waiting for the disk (a crash forgets at
-- most the last instant of counting, which costs nothing).
CREATE TABLE guard_rate
(
    key text PRIMARY KEY,
    tat bigint NOT NULL -- nanoseconds since the epoch, by the application's clock
);
GRANT SELECT, INSERT, UPDATE, DELETE ON guard_rate TO ${app_role};

-- Takes one request from the key's bucket: 0 when it may go on, else the nanoseconds to wait.
-- Called on its own (autocommit): its set_config ends with that statement's transaction.
CREATE FUNCTION guard_take(p_key text, p_now bigint, p_interval bigint, p_capacity bigint)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SET search_path = public
AS $$
DECLARE
    burst bigint := p_interval * p_capacity;
    ahead bigint;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO guard_rate AS r (key, tat) VALUES (p_key, p_now + p_interval)
    ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, p_now) + p_interval
        WHERE greatest(r.tat, p_now) + p_interval - p_now <= burst;
    IF FOUND THEN
        RETURN 0;
    END IF;
    SELECT greatest(r.tat, p_now) + p_interval - p_now INTO ahead FROM guard_rate r WHERE r.key = p_key;
    RETURN greatest(ahead - burst, 1);
END
$$;
REVOKE ALL ON FUNCTION guard_take(text, bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_take(text, bigint, bigint, bigint) TO ${app_role};

-- Bucket4j's table guard_bucket is no longer written; it is left in place (empty of meaning, dropped
-- by a later migration once the table-ownership test reads DROP TABLE).
