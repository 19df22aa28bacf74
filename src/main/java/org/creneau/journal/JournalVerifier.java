package org.creneau.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.journal.internal.CanonicalForm;
import org.creneau.journal.internal.Checkpoints;
import org.creneau.journal.internal.Checkpoints.Checkpoint;
import org.creneau.journal.internal.MerkleTree.Head;
import org.springframework.stereotype.Service;

/**
 * Checks the journal with the public key alone: every chain's entries in order, each one's columns
 * against the text its hash covers, each hash against the previous one, each chain's end against its
 * head row, and every signed checkpoint (rows in the database and files outside it) against the
 * chains: its signature, its heads against its Merkle root, and each head it covers against the
 * entry now at that position, so a chain cut back behind a checkpoint is caught. Names the chain and
 * the entries changed, removed, reordered or cut; reports apart a checkpoint older than its interval.
 */
@Service
public class JournalVerifier {

    private final Checkpoints checkpoints;
    private final Clock clock;

    JournalVerifier(Checkpoints checkpoints, Clock clock) {
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /**
     * The outcome. {@code problems}: tampering, at most one per chain and one per checkpoint; the
     * journal is intact when there is none. {@code findings}: what is not tampering but needs an
     * operator (a checkpoint overdue).
     */
    public record Report(long entries, int chains, int checkpoints, List<String> problems, List<String> findings) {

        public Report {
            problems = List.copyOf(problems);
            findings = List.copyOf(findings);
        }

        public boolean intact() {
            return problems.isEmpty();
        }

        /** The first problem, or null when the journal is intact. */
        public String firstProblem() {
            return problems.isEmpty() ? null : problems.get(0);
        }
    }

    /** What the walk learns of one chain. */
    private static final class Chain {
        final String id;
        long last;
        byte[] hash = new byte[32];
        boolean broken;
        /** The hashes at the positions some checkpoint names. */
        final Map<Long, byte[]> pinned = new HashMap<>();

        Chain(String id) {
            this.id = id;
        }
    }

    /** @param reader a connection able to read the journal tables (the owner's: the application role cannot) */
    public Report verify(DataSource reader) {
        try (Connection c = reader.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            // One snapshot for the whole walk, so concurrent appends do not read as a mismatch.
            try (var s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            List<String> problems = new ArrayList<>();
            List<String> findings = new ArrayList<>();

            List<Checkpoint> signed = new ArrayList<>(checkpoints.readFiles());
            signed.addAll(databaseCheckpoints(c));
            List<Checkpoint> authentic = new ArrayList<>();
            for (Checkpoint checkpoint : signed) {
                if (!checkpoints.signedByThisKey(checkpoint.signature())) {
                    // The key is never replaced: another key's checkpoint is a forgery or a key swapped.
                    problems.add("the " + checkpoint.source() + " was signed by another key than the journal's");
                } else if (!checkpoints.authentic(checkpoint)) {
                    problems.add("the " + checkpoint.source() + " has a bad signature");
                } else {
                    authentic.add(checkpoint);
                }
            }
            List<Checkpoint> valid = new ArrayList<>();
            for (Checkpoint checkpoint : complete(authentic, problems)) {
                if (!checkpoint.headsMatchRoot()) {
                    problems.add(
                            "the " + checkpoint.source()
                                    + " lists heads that do not hash to its signed Merkle root: a head was changed after signing");
                } else {
                    valid.add(checkpoint);
                }
            }
            Map<String, Set<Long>> wanted = new HashMap<>();
            for (Checkpoint checkpoint : valid) {
                for (Head h : checkpoint.heads()) {
                    wanted.computeIfAbsent(h.chain(), k -> new HashSet<>()).add(h.seq());
                }
            }

            Map<String, Chain> chains = new TreeMap<>();
            long entries = walk(c, wanted, chains, problems);
            compareHeads(c, chains, problems);
            compareCheckpoints(valid, chains, problems);
            overdue(c, valid, chains, findings);
            c.rollback();
            return new Report(entries, chains.size(), signed.size(), problems, findings);
        } catch (SQLException e) {
            throw new IllegalStateException("journal unreadable: " + e.getSQLState(), e);
        }
    }

    /**
     * The checkpoints with every head they cover: a partial one (only the heads that moved since the
     * checkpoint of its previous root) takes the others from that one, completed first. One whose
     * previous checkpoint is nowhere (file or row) cannot be completed: a problem, since checkpoints are
     * never removed. Resolved by roots, not by time, so a clock set back does not break the thread.
     */
    private static List<Checkpoint> complete(List<Checkpoint> authentic, List<String> problems) {
        List<Checkpoint> completed = new ArrayList<>();
        // Completed in the order they were read (files, then rows), whatever order their chains resolve in:
        // what is reported, and from which source, must not depend on how checkpoints' names sort.
        Map<Checkpoint, Integer> rank = new IdentityHashMap<>();
        for (Checkpoint checkpoint : authentic) {
            rank.put(checkpoint, rank.size());
        }
        Map<String, List<Head>> headsByRoot = new HashMap<>();
        List<Checkpoint> pending = new ArrayList<>();
        for (Checkpoint checkpoint : authentic) {
            if (checkpoint.partial()) {
                pending.add(checkpoint);
            } else {
                completed.add(checkpoint);
                if (!checkpoint.legacy() && checkpoint.headsMatchRoot()) {
                    headsByRoot.put(HexFormat.of().formatHex(checkpoint.root()), checkpoint.heads());
                }
            }
        }
        pending.sort(Comparator.comparing(Checkpoint::signedAt));
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Checkpoint checkpoint = it.next();
                List<Head> previous = headsByRoot.get(HexFormat.of().formatHex(checkpoint.previousRoot()));
                if (previous != null) {
                    Checkpoint whole = checkpoint.withAllHeads(previous);
                    completed.add(whole);
                    rank.put(whole, rank.get(checkpoint));
                    if (whole.headsMatchRoot()) {
                        headsByRoot.put(HexFormat.of().formatHex(whole.root()), whole.heads());
                    }
                    it.remove();
                    progress = true;
                }
            }
        }
        completed.sort(Comparator.comparing(rank::get));
        for (Checkpoint orphan : pending) {
            problems.add("the " + orphan.source() + " follows a checkpoint that is gone (root "
                    + HexFormat.of().formatHex(orphan.previousRoot()).substring(0, 16)
                    + "...): a checkpoint was removed");
        }
        return completed;
    }

    /** Every entry, chain by chain in position order; one problem per chain, the first. */
    private static long walk(
            Connection c, Map<String, Set<Long>> wanted, Map<String, Chain> chains, List<String> problems)
            throws SQLException {
        long entries = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM journal_entry ORDER BY chain_id, chain_seq")) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries++;
                    String id = rs.getString("chain_id");
                    Chain chain = chains.computeIfAbsent(id, Chain::new);
                    if (chain.broken) {
                        continue;
                    }
                    long position = rs.getLong("chain_seq");
                    long seq = rs.getLong("seq");
                    String problem = check(rs, chain, position, seq);
                    if (problem != null) {
                        chain.broken = true;
                        problems.add("chain " + id + ": " + problem);
                        continue;
                    }
                    chain.last = position;
                    chain.hash = rs.getBytes("hash");
                    if (wanted.getOrDefault(id, Set.of()).contains(position)) {
                        chain.pinned.put(position, chain.hash);
                    }
                }
            }
        }
        return entries;
    }

    private static String check(ResultSet rs, Chain chain, long position, long seq) throws SQLException {
        long expected = chain.last + 1;
        if (position != expected) {
            return "position " + expected + " is missing or out of order (entry " + seq + " at position " + position
                    + " follows position " + chain.last + ")";
        }
        if (!Arrays.equals(rs.getBytes("previous_hash"), chain.hash)) {
            return "entry " + seq + " at position " + position + " does not follow position " + chain.last;
        }
        String canonical = rs.getString("canonical");
        String prefix = Checkpoints.LEGACY_CHAIN.equals(chain.id) ? "" : chain.id + "|";
        if (!canonical.equals(prefix + position + "|" + body(rs))) {
            return "entry " + seq + " was changed: its columns differ from what was hashed (position " + position + ")";
        }
        if (!Arrays.equals(sha256(chain.hash, canonical), rs.getBytes("hash"))) {
            return "entry " + seq + " was changed: its hash does not match (position " + position + ")";
        }
        return null;
    }

    /** Each chain's head row against the chain's last entry. */
    private static void compareHeads(Connection c, Map<String, Chain> chains, List<String> problems)
            throws SQLException {
        Set<String> headed = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT chain_id, seq, hash FROM journal_chain_head");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("chain_id");
                long seq = rs.getLong("seq");
                headed.add(id);
                Chain chain = chains.computeIfAbsent(id, Chain::new);
                if (chain.broken) {
                    continue;
                }
                if (seq > chain.last) {
                    chain.broken = true;
                    problems.add("chain " + id + ": the entries from position " + (chain.last + 1) + " to position "
                            + seq + " were removed (its head is at " + seq + ", its entries end at " + chain.last
                            + ")");
                } else if (seq < chain.last) {
                    chain.broken = true;
                    problems.add("chain " + id + ": its head was moved back to position " + seq
                            + " while its entries go on to " + chain.last);
                } else if (!Arrays.equals(rs.getBytes("hash"), chain.hash)) {
                    chain.broken = true;
                    problems.add("chain " + id + ": its head's hash differs from its entry at position " + seq);
                }
            }
        }
        for (Chain chain : chains.values()) {
            if (!headed.contains(chain.id) && !chain.broken) {
                chain.broken = true;
                problems.add("chain " + chain.id + ": its head was removed (entries go on to " + chain.last + ")");
            }
        }
    }

    /**
     * Every head a valid checkpoint covers against the chain now: a chain shorter than a signed head
     * was cut; a different hash there, rewritten. Per chain, the farthest cut or first rewrite only.
     */
    private static void compareCheckpoints(List<Checkpoint> valid, Map<String, Chain> chains, List<String> problems) {
        Map<String, String> byChain = new LinkedHashMap<>();
        Map<String, Long> farthestCut = new HashMap<>();
        for (Checkpoint checkpoint : valid) {
            for (Head h : checkpoint.heads()) {
                Chain chain = chains.get(h.chain());
                if (chain != null && chain.broken) {
                    // Its first problem is reported already; what a checkpoint would add is noise.
                    continue;
                }
                long last = chain == null ? 0 : chain.last;
                if (h.seq() > last) {
                    if (h.seq() > farthestCut.getOrDefault(h.chain(), 0L)) {
                        farthestCut.put(h.chain(), h.seq());
                        byChain.put(
                                h.chain(),
                                "chain " + h.chain() + " was cut: the " + checkpoint.source() + " covers position "
                                        + h.seq() + ", the chain now ends at position " + last
                                        + " (the entries from position " + (last + 1) + " to position " + h.seq()
                                        + " are gone)");
                    }
                } else if (!farthestCut.containsKey(h.chain())
                        && !byChain.containsKey(h.chain())
                        && !Arrays.equals(chain.pinned.get(h.seq()), h.hash())) {
                    byChain.put(
                            h.chain(),
                            "chain " + h.chain() + " was rewritten up to position " + h.seq() + ": it differs from the "
                                    + checkpoint.source());
                }
            }
        }
        problems.addAll(byChain.values());
    }

    /**
     * A checkpoint is due every interval: entries older than that which the newest checkpoint does not
     * cover mean the signer stopped (or its checkpoints were removed). Not tampering, but a cut of
     * those entries would go unseen, so it is reported.
     */
    private void overdue(Connection c, List<Checkpoint> valid, Map<String, Chain> chains, List<String> findings)
            throws SQLException {
        Checkpoint newest = valid.stream()
                .filter(k -> !k.legacy())
                .max(Comparator.comparing(Checkpoint::signedAt))
                .orElse(null);
        Map<String, Long> covered = new HashMap<>();
        if (newest != null) {
            newest.heads().forEach(h -> covered.put(h.chain(), h.seq()));
        }
        Instant now = clock.instant();
        Duration interval = checkpoints.interval();
        Instant oldestUncovered = null;
        int uncoveredChains = 0;
        try (PreparedStatement s =
                c.prepareStatement("SELECT recorded_at FROM journal_entry WHERE chain_id = ? AND chain_seq = ?")) {
            for (Chain chain : chains.values()) {
                long from = covered.getOrDefault(chain.id, 0L) + 1;
                if (chain.last < from) {
                    continue;
                }
                s.setString(1, chain.id);
                s.setLong(2, from);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        Instant at = rs.getObject(1, OffsetDateTime.class).toInstant();
                        if (at.isBefore(now.minus(interval))) {
                            uncoveredChains++;
                            oldestUncovered =
                                    oldestUncovered == null || at.isBefore(oldestUncovered) ? at : oldestUncovered;
                        }
                    }
                }
            }
        }
        if (uncoveredChains == 0) {
            return;
        }
        String since = " entries of " + uncoveredChains + " chain(s) since " + oldestUncovered
                + " are not covered by any checkpoint";
        if (newest == null) {
            findings.add("no checkpoint over the chains' heads yet (interval " + minutes(interval) + "):" + since);
        } else {
            findings.add("latest checkpoint is " + minutes(Duration.between(newest.signedAt(), now))
                    + " old (signed at " + newest.signedAt() + "), interval " + minutes(interval) + ":" + since);
        }
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 1 ? m + " minutes" : d.toSeconds() + " seconds";
    }

    /** The checkpoint rows: the legacy single chain's and those over every head. */
    private static List<Checkpoint> databaseCheckpoints(Connection c) throws SQLException {
        List<Checkpoint> all = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                        "SELECT seq, hash, signed_at, signature FROM journal_legacy_checkpoint ORDER BY seq");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                all.add(new Checkpoint(
                        "database checkpoint of the legacy chain at " + rs.getLong("seq"),
                        true,
                        rs.getObject("signed_at", OffsetDateTime.class).toInstant(),
                        null,
                        List.of(new Head(Checkpoints.LEGACY_CHAIN, rs.getLong("seq"), rs.getBytes("hash"))),
                        rs.getBytes("signature")));
            }
        }
        Map<Long, List<Head>> heads = new HashMap<>();
        try (PreparedStatement s =
                        c.prepareStatement("SELECT checkpoint_id, chain_id, seq, hash FROM journal_checkpoint_head");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                heads.computeIfAbsent(rs.getLong("checkpoint_id"), k -> new ArrayList<>())
                        .add(new Head(rs.getString("chain_id"), rs.getLong("seq"), rs.getBytes("hash")));
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                        "SELECT id, root, tree_size, signed_at, signature, previous_root FROM journal_checkpoint ORDER BY id");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong("id");
                List<Head> covered = new ArrayList<>(heads.getOrDefault(id, List.of()));
                covered.sort(Comparator.comparing(Head::chain));
                all.add(new Checkpoint(
                        "database checkpoint " + id,
                        false,
                        rs.getObject("signed_at", OffsetDateTime.class).toInstant(),
                        rs.getBytes("root"),
                        covered,
                        rs.getBytes("signature"),
                        rs.getInt("tree_size"),
                        rs.getBytes("previous_root")));
            }
        }
        return all;
    }

    private static String body(ResultSet rs) throws SQLException {
        return CanonicalForm.body(
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                rs.getString("actor_kind"),
                rs.getObject("actor_id", UUID.class),
                rs.getString("actor_role"),
                rs.getObject("grant_id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getString("route"),
                rs.getString("purpose"),
                rs.getString("resource_type"),
                uuids(rs.getArray("resource_ids")),
                strings(rs.getArray("fields")),
                rs.getString("outcome"));
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return Arrays.asList((UUID[]) array.getArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static byte[] sha256(byte[] previous, String canonical) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(previous);
            digest.update(canonical.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
