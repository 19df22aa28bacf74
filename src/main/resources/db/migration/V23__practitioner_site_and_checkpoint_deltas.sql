-- Where a practitioner consults: the sites of their opening ranges, as the directory states them.
-- The directory answers "which sites" and "who consults here" (search candidates) from its own
-- table; availability keeps it in step with the opening ranges it owns, through the directory's API,
-- in the transaction that changes them (module walls: only the directory's SQL names this table).

CREATE TABLE practitioner_site
(
    organization_id uuid NOT NULL,
    practitioner_id uuid NOT NULL,
    site_id         uuid NOT NULL,
    PRIMARY KEY (organization_id, practitioner_id, site_id),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    FOREIGN KEY (organization_id, site_id) REFERENCES site (organization_id, id)
);
-- Search looks up a (practitioner, site) pair; a practitioner's page lists their sites.
CREATE INDEX practitioner_site_practitioner_idx ON practitioner_site (practitioner_id, site_id);
ALTER TABLE practitioner_site ENABLE ROW LEVEL SECURITY;
CREATE POLICY practitioner_site_public_read ON practitioner_site FOR SELECT USING (true);
CREATE POLICY practitioner_site_own_write ON practitioner_site FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, DELETE ON practitioner_site TO ${app_role};

INSERT INTO practitioner_site (organization_id, practitioner_id, site_id)
SELECT DISTINCT organization_id, practitioner_id, site_id FROM opening_range;

-- Checkpoints store only the chain heads that moved since the previous checkpoint, and name that one
-- by its root: the signed Merkle root still covers every chain's head, and a verifier rebuilds the
-- whole list from the previous checkpoint's. A checkpoint without previous_root lists every head.
ALTER TABLE journal_checkpoint ADD COLUMN previous_root bytea;
-- The newest stored head of each chain, which a new checkpoint compares its heads with.
CREATE INDEX journal_checkpoint_head_chain_idx ON journal_checkpoint_head (chain_id, checkpoint_id DESC);

-- The newest checkpoint (id, root) and every chain's head as it covers it. Checkpoints are signed one
-- at a time (the signer holds a lock from reading this to recording its own), so each one's heads are
-- the newest stored head of each chain up to it: one index probe per chain.
CREATE FUNCTION journal_checkpointed_heads()
    RETURNS TABLE (checkpoint_id bigint, root bytea, chain_id text, seq bigint, hash bytea)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    WITH latest AS (SELECT c.id, c.root FROM journal_checkpoint c ORDER BY c.id DESC LIMIT 1)
    SELECT l.id, l.root, chain.chain_id, stored.seq, stored.hash
      FROM latest l
     CROSS JOIN journal_chain_head chain
      JOIN LATERAL (SELECT ch.seq, ch.hash FROM journal_checkpoint_head ch
                     WHERE ch.chain_id = chain.chain_id AND ch.checkpoint_id <= l.id
                     ORDER BY ch.checkpoint_id DESC LIMIT 1) stored ON true
$$;
REVOKE ALL ON FUNCTION journal_checkpointed_heads() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_checkpointed_heads() TO ${app_role};

-- Records a checkpoint that lists the heads that moved since the one with p_previous_root (null: it
-- lists every head); p_tree_size is how many heads its root covers.
CREATE FUNCTION journal_record_checkpoint_after(p_root bytea, p_tree_size int, p_signed_at timestamptz,
                                                p_signature bytea, p_previous_root bytea, p_chains text[],
                                                p_seqs bigint[], p_hashes bytea[])
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO journal_checkpoint (root, tree_size, signed_at, signature, previous_root)
    VALUES (p_root, p_tree_size, p_signed_at, p_signature, p_previous_root)
    RETURNING id INTO new_id;
    INSERT INTO journal_checkpoint_head (checkpoint_id, chain_id, seq, hash)
    SELECT new_id, c, s, h FROM unnest(p_chains, p_seqs, p_hashes) AS u(c, s, h);
    RETURN new_id;
END
$$;
REVOKE ALL ON FUNCTION journal_record_checkpoint_after(bytea, int, timestamptz, bytea, bytea, text[], bigint[], bytea[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_record_checkpoint_after(bytea, int, timestamptz, bytea, bytea, text[], bigint[], bytea[])
    TO ${app_role};
