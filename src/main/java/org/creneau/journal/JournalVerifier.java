package org.creneau.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.journal.internal.CanonicalForm;
import org.creneau.journal.internal.Checkpoints;
import org.springframework.stereotype.Service;

/**
 * Checks the journal: every entry in order, each one's columns against the text its hash covers,
 * each hash against the previous one, the chain's end against its head, and every signed
 * checkpoint file against the chain. Names the first entry changed, removed or reordered.
 */
@Service
public class JournalVerifier {

    private final Checkpoints checkpoints;

    JournalVerifier(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** The outcome: {@code firstProblem} is null when the journal is intact. */
    public record Report(long entries, int checkpoints, Long firstBadPosition, String firstProblem) {
        public boolean intact() {
            return firstProblem == null;
        }
    }

    /** @param reader a connection able to read the journal tables (the owner's: the application role cannot) */
    public Report verify(DataSource reader) {
        try (Connection c = reader.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            Map<Long, byte[]> hashes = new HashMap<>();
            byte[] previous = new byte[32];
            long expected = 1;
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM journal_entry ORDER BY seq")) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long position = rs.getLong("seq");
                        if (position != expected) {
                            return problem(
                                    expected - 1,
                                    List.of(),
                                    expected,
                                    "entry " + expected + " is missing or out of order (found " + position + " next)");
                        }
                        if (!Arrays.equals(rs.getBytes("previous_hash"), previous)) {
                            return problem(
                                    expected - 1,
                                    List.of(),
                                    position,
                                    "entry " + position + " does not follow entry " + (position - 1));
                        }
                        String canonical = rs.getString("canonical");
                        if (!canonical.equals(position + "|" + body(rs))) {
                            return problem(
                                    expected - 1,
                                    List.of(),
                                    position,
                                    "entry " + position + " was changed: its columns differ from what was hashed");
                        }
                        byte[] hash = sha256(previous, canonical);
                        if (!Arrays.equals(hash, rs.getBytes("hash"))) {
                            return problem(
                                    expected - 1,
                                    List.of(),
                                    position,
                                    "entry " + position + " was changed: its hash does not match");
                        }
                        hashes.put(position, hash);
                        previous = hash;
                        expected++;
                    }
                }
            }
            long last = expected - 1;
            try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM journal_head");
                    ResultSet rs = s.executeQuery()) {
                if (rs.next() && (rs.getLong("seq") != last || !Arrays.equals(rs.getBytes("hash"), previous))) {
                    return problem(
                            last,
                            List.of(),
                            last + 1,
                            "entry " + (last + 1) + " was removed, and any after it (the chain's head is at "
                                    + rs.getLong("seq") + ")");
                }
            }
            List<Checkpoints.Checkpoint> signed = checkpoints.readAll();
            for (Checkpoints.Checkpoint checkpoint : signed) {
                if (!checkpoints.authentic(checkpoint)) {
                    return problem(
                            last,
                            signed,
                            checkpoint.position(),
                            "the checkpoint at " + checkpoint.position() + " has a bad signature");
                }
                byte[] hash = hashes.get(checkpoint.position());
                if (hash == null) {
                    return problem(
                            last,
                            signed,
                            checkpoint.position(),
                            "entry " + checkpoint.position() + " was removed: a signed checkpoint names it");
                }
                if (!Arrays.equals(hash, checkpoint.hash())) {
                    return problem(
                            last,
                            signed,
                            checkpoint.position(),
                            "the chain up to entry " + checkpoint.position()
                                    + " was rewritten: it differs from the signed checkpoint");
                }
            }
            c.rollback();
            return new Report(last, signed.size(), null, null);
        } catch (SQLException e) {
            throw new IllegalStateException("journal unreadable: " + e.getSQLState(), e);
        }
    }

    private static Report problem(long entries, List<?> signed, long position, String text) {
        return new Report(entries, signed.size(), position, text);
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
