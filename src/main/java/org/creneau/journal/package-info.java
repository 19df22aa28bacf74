/**
 * The access journal: every read and write of patient or appointment data, whoever makes it, in
 * one SHA-256 hash chain kept in PostgreSQL, with Ed25519-signed checkpoints also written outside
 * the database. The application's role may only append; {@link JournalVerifier} names the first
 * entry that was changed, removed or reordered.
 */
@OwnsTables({"journal_entry", "journal_head", "journal_checkpoint", "journal_freeze"})
package org.creneau.journal;

import org.creneau.platform.OwnsTables;
