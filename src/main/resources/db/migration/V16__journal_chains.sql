-- The journal without a global lock: one hash chain per organization and one for platform actions
-- (entries with no organization), each with its own head row, so appends of different organizations
-- never wait on each other. Signed checkpoints cover every chain's head at once through a Merkle
-- tree (RFC 6962 hashing) over the sorted heads.
--
-- Upgrade path: the single chain written until now becomes the closed chain 'legacy'. Its entries
-- keep their bytes (columns, canonical text, hashes), their position in it is their old seq, its
-- head is the old journal_head, and its old signed checkpoints (rows and files) still verify
-- against it. Nothing is appended to it any more; new checkpoints cover its head like any other.

-- Every chain's end. Appends lock only the row of their own chain.
CREATE TABLE journal_chain_head
(
    chain_id text PRIMARY KEY,
    seq      bigint  NOT NULL,
    hash     bytea   NOT NULL,
    closed   boolean NOT NULL DEFAULT false
);

ALTER TABLE journal_entry
    ADD COLUMN chain_id  text,
    ADD COLUMN chain_seq bigint;
UPDATE journal_entry SET chain_id = 'legacy', chain_seq = seq;
ALTER TABLE journal_entry
    ALTER COLUMN chain_id SET NOT NULL,
    ALTER COLUMN chain_seq SET NOT NULL,
    ADD CONSTRAINT journal_entry_chain_position UNIQUE (chain_id, chain_seq);

INSERT INTO journal_chain_head (chain_id, seq, hash, closed)
SELECT 'legacy', h.seq, h.hash, true FROM journal_head h WHERE h.seq > 0;

DROP FUNCTION journal_head_now();
DROP FUNCTION journal_record_checkpoint(bigint, bytea, timestamptz, bytea);
DROP TABLE journal_head;

-- seq stays a platform-wide number for locating an entry, drawn from a sequence (no lock, gaps after
-- a rollback are fine): the order that verification proves is chain_seq within a chain.
CREATE SEQUENCE journal_entry_seq;
SELECT setval('journal_entry_seq', coalesce(max(seq), 0) + 1, false) FROM journal_entry;

-- The single chain's checkpoints, kept as they were signed.
ALTER TABLE journal_checkpoint RENAME TO journal_legacy_checkpoint;

-- A signed Merkle root over the sorted heads of every chain, with the heads it covers.
CREATE TABLE journal_checkpoint
(
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    root      bytea       NOT NULL,
    tree_size int         NOT NULL,
    signed_at timestamptz NOT NULL,
    signature bytea       NOT NULL
);
CREATE INDEX journal_checkpoint_signed_idx ON journal_checkpoint (signed_at);
CREATE TABLE journal_checkpoint_head
(
    checkpoint_id bigint NOT NULL REFERENCES journal_checkpoint (id),
    chain_id      text   NOT NULL,
    seq           bigint NOT NULL,
    hash          bytea  NOT NULL,
    PRIMARY KEY (checkpoint_id, chain_id)
);

-- Appends one entry to its organization's chain (or the platform's): the canonical text is
-- chain|position|body, and hash = sha256(previous hash of that chain || text). Same signature as
-- before, so callers are unchanged; returns the entry's platform-wide seq.
CREATE OR REPLACE FUNCTION journal_append(p_recorded_at timestamptz, p_actor_kind text, p_actor_id uuid,
                                          p_actor_role text, p_grant_id uuid, p_organization_id uuid,
                                          p_route text, p_purpose text, p_resource_type text,
                                          p_resource_ids uuid[], p_fields text[], p_outcome text, p_body text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    chain     text := coalesce(p_organization_id::text, 'platform');
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

-- Every chain's end, sorted by chain id byte by byte (the order the Merkle tree's leaves take).
CREATE FUNCTION journal_heads_now()
    RETURNS TABLE (chain_id text, seq bigint, hash bytea)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT h.chain_id, h.seq, h.hash FROM journal_chain_head h ORDER BY h.chain_id COLLATE "C" $$;
REVOKE ALL ON FUNCTION journal_heads_now() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_heads_now() TO ${app_role};

-- The newest checkpoint's root, so a signer does not sign the same heads again.
CREATE FUNCTION journal_latest_checkpoint()
    RETURNS TABLE (id bigint, root bytea, signature bytea)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT c.id, c.root, c.signature FROM journal_checkpoint c ORDER BY c.id DESC LIMIT 1 $$;
REVOKE ALL ON FUNCTION journal_latest_checkpoint() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_latest_checkpoint() TO ${app_role};

CREATE FUNCTION journal_record_checkpoint(p_root bytea, p_signed_at timestamptz, p_signature bytea,
                                          p_chains text[], p_seqs bigint[], p_hashes bytea[])
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO journal_checkpoint (root, tree_size, signed_at, signature)
    VALUES (p_root, coalesce(cardinality(p_chains), 0), p_signed_at, p_signature)
    RETURNING id INTO new_id;
    INSERT INTO journal_checkpoint_head (checkpoint_id, chain_id, seq, hash)
    SELECT new_id, c, s, h FROM unnest(p_chains, p_seqs, p_hashes) AS u(c, s, h);
    RETURN new_id;
END
$$;
REVOKE ALL ON FUNCTION journal_record_checkpoint(bytea, timestamptz, bytea, text[], bigint[], bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_record_checkpoint(bytea, timestamptz, bytea, text[], bigint[], bytea[])
    TO ${app_role};

-- The guard's observation of an app's answer and that answer's journal entry in one statement, so an
-- answer costs one round trip and one commit instead of two transactions: the same writes and counts
-- as AppGuard.observe, and the entry appended only when no signal or quota would stop the answer
-- (the thresholds are given; the baseline compared is never above the one AppGuard computes, so this
-- never appends an entry for an answer AppGuard then withholds). Runs as the caller, acting for the
-- grant's organization like TenantScope's Caller.System, so row-level security applies as before.
CREATE FUNCTION guard_observe_and_journal(
    p_org uuid, p_grant uuid, p_now timestamptz, p_appointments uuid[], p_patients uuid[], p_named uuid,
    p_from timestamptz, p_to timestamptz,
    p_unseen_per_hour int, p_windows_per_hour int, p_searches_per_10_minutes int, p_new_patients_floor int,
    p_baseline_factor int, p_patients_per_hour int, p_patients_per_day int, p_appointments_per_hour int,
    p_appointments_per_day int,
    j_recorded_at timestamptz, j_actor_kind text, j_actor_id uuid, j_actor_role text, j_grant_id uuid,
    j_organization_id uuid, j_route text, j_purpose text, j_resource_type text, j_resource_ids uuid[],
    j_fields text[], j_outcome text, j_body text)
    RETURNS TABLE (canary boolean, new_patients bigint, patients_hour bigint, patients_day bigint,
                   appointments_hour bigint, appointments_day bigint, unseen_hour bigint, searches bigint,
                   windows bigint, baseline double precision, journaled boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = public
AS $$
DECLARE
    tripped boolean;
BEGIN
    PERFORM set_config('creneau.org_id', p_org::text, true), set_config('creneau.account_id', '', true);
    canary := EXISTS (SELECT 1 FROM appointment
                       WHERE organization_id = p_org AND decoy AND id = ANY (p_appointments))
           OR EXISTS (SELECT 1 FROM org_patient
                       WHERE organization_id = p_org AND decoy AND id = ANY (p_patients));
    journaled := false;
    IF canary THEN
        RETURN NEXT;
        RETURN;
    END IF;
    IF p_named IS NOT NULL AND NOT EXISTS (SELECT 1 FROM guard_seen
                                            WHERE organization_id = p_org AND grant_id = p_grant
                                              AND record_id = p_named AND introduced) THEN
        INSERT INTO guard_mark (organization_id, grant_id, kind, at) VALUES (p_org, p_grant, 'UNSEEN', p_now);
    END IF;
    IF p_from IS NOT NULL AND p_to IS NOT NULL THEN
        INSERT INTO guard_mark (organization_id, grant_id, kind, at, window_from, window_to)
        VALUES (p_org, p_grant, 'SEARCH', p_now, p_from, p_to);
    END IF;
    IF cardinality(p_appointments) > 0 OR cardinality(p_patients) > 0 THEN
        INSERT INTO guard_seen (organization_id, grant_id, kind, record_id, first_at, last_at, introduced)
        SELECT DISTINCT p_org, p_grant, shown.kind, shown.id, p_now, p_now, shown.id IS DISTINCT FROM p_named
          FROM (SELECT 'A' AS kind, id FROM unnest(p_appointments) AS id
                UNION ALL
                SELECT 'P', id FROM unnest(p_patients) AS id) shown
        ON CONFLICT (organization_id, grant_id, kind, record_id)
        DO UPDATE SET last_at = EXCLUDED.last_at, introduced = guard_seen.introduced OR EXCLUDED.introduced;
    END IF;
    SELECT count(*) FILTER (WHERE s.kind = 'P' AND s.first_at >= p_now - interval '10 minutes'),
           count(*) FILTER (WHERE s.kind = 'P' AND s.last_at >= p_now - interval '1 hour'),
           count(*) FILTER (WHERE s.kind = 'P'),
           count(*) FILTER (WHERE s.kind = 'A' AND s.last_at >= p_now - interval '1 hour'),
           count(*) FILTER (WHERE s.kind = 'A')
      INTO new_patients, patients_hour, patients_day, appointments_hour, appointments_day
      FROM guard_seen s
     WHERE s.organization_id = p_org AND s.grant_id = p_grant AND s.last_at >= p_now - interval '1 day';
    SELECT count(*) FILTER (WHERE m.kind = 'UNSEEN'),
           count(*) FILTER (WHERE m.kind = 'SEARCH' AND m.at >= p_now - interval '10 minutes'),
           count(DISTINCT (m.window_from, m.window_to)) FILTER (WHERE m.kind = 'SEARCH')
      INTO unseen_hour, searches, windows
      FROM guard_mark m
     WHERE m.organization_id = p_org AND m.grant_id = p_grant AND m.kind IN ('UNSEEN', 'SEARCH')
       AND m.at >= p_now - interval '1 hour';
    IF new_patients >= p_new_patients_floor THEN
        SELECT coalesce(avg(n), 0) INTO baseline FROM (
            SELECT count(*) AS n FROM guard_seen
             WHERE organization_id = p_org AND grant_id = p_grant AND kind = 'P'
               AND first_at >= p_now - interval '7 days' AND first_at < p_now - interval '10 minutes'
             GROUP BY date_bin('10 minutes', first_at, TIMESTAMPTZ '2000-01-01 00:00Z')) periods;
    END IF;
    tripped := unseen_hour >= p_unseen_per_hour
        OR windows >= p_windows_per_hour
        OR searches >= p_searches_per_10_minutes
        OR (new_patients >= p_new_patients_floor
            AND new_patients >= greatest(p_new_patients_floor, floor(baseline * p_baseline_factor)))
        OR patients_hour > p_patients_per_hour
        OR patients_day > p_patients_per_day
        OR appointments_hour > p_appointments_per_hour
        OR appointments_day > p_appointments_per_day;
    IF NOT tripped AND j_route IS NOT NULL THEN
        PERFORM journal_append(j_recorded_at, j_actor_kind, j_actor_id, j_actor_role, j_grant_id, j_organization_id,
                               j_route, j_purpose, j_resource_type, j_resource_ids, j_fields, j_outcome, j_body);
        journaled := true;
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION guard_observe_and_journal(uuid, uuid, timestamptz, uuid[], uuid[], uuid, timestamptz, timestamptz,
    int, int, int, int, int, int, int, int, int, timestamptz, text, uuid, text, uuid, uuid, text, text, text, uuid[],
    text[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_observe_and_journal(uuid, uuid, timestamptz, uuid[], uuid[], uuid, timestamptz,
    timestamptz, int, int, int, int, int, int, int, int, int, timestamptz, text, uuid, text, uuid, uuid, text, text, text,
    uuid[], text[], text, text) TO ${app_role};
