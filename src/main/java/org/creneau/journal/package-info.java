/**
 * The access journal: every read and write of patient or appointment data, whoever makes it, in
 * SHA-256 hash chains kept in PostgreSQL (one per organization, 16 for the platform), with
 * Ed25519-signed checkpoints over every chain's head (a Merkle root) also written outside the
 * database. The application's role may only append; {@link JournalVerifier} names, per chain, the
 * entries that were changed, removed, reordered or cut behind a checkpoint.
 */
@OwnsTables({
    "journal_entry",
    "journal_head",
    "journal_chain_head",
    "journal_checkpoint",
    "journal_checkpoint_head",
    "journal_freeze"
})
package org.creneau.journal;

import org.creneau.platform.OwnsTables;
