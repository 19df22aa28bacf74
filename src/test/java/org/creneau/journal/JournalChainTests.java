package org.creneau.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.journal.internal.CanonicalForm;
import org.creneau.journal.internal.Checkpoints;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One hash chain per organization and one for the platform, each with its own head: appends of two
 * organizations never wait on each other, and the signed checkpoints over every head catch a chain
 * cut back behind them, a head changed under a signed root, and a signer that stopped.
 */
@IntegrationTest
class JournalChainTests {

    static final Path CHECKPOINT_FILES = Path.of("target/test-journal/checkpoints");

    @Autowired
    Journal journal;

    @Autowired
    JournalVerifier verifier;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    MutableClock clock;

    @Autowired
    DataSource app;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcTemplate asOwner;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        asOwner = new JdbcTemplate(owner);
    }

    @AfterEach
    void journalIsIntactAgain() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        assertThat(verifier.verify(owner).problems()).isEmpty();
    }

    @Test
    void eachOrganizationHasItsOwnChainNumberedFromOne() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        append(first);
        append(second);
        append(first);
        append(null);

        assertThat(asOwner.queryForList(
                        "SELECT chain_seq FROM journal_entry WHERE chain_id = ? ORDER BY chain_seq",
                        Long.class,
                        first.toString()))
                .containsExactly(1L, 2L);
        assertThat(asOwner.queryForList(
                        "SELECT chain_seq FROM journal_entry WHERE chain_id = ?", Long.class, second.toString()))
                .containsExactly(1L);
        assertThat(asOwner.queryForObject(
                        "SELECT seq FROM journal_chain_head WHERE chain_id = ?", Long.class, first.toString()))
                .isEqualTo(2L);
        assertThat(asOwner.queryForObject(
                        "SELECT count(*) FROM journal_entry WHERE chain_id LIKE 'platform-%' AND organization_id IS NULL",
                        Long.class))
                .isPositive();
    }

    @Test
    void entriesWithNoOrganizationGoToTheirActorsPlatformChainInOrder() {
        UUID actor = UUID.randomUUID();
        long first = journal.append(recordOf(actor, null));
        long second = journal.append(recordOf(actor, null));

        String chainOfFirst =
                asOwner.queryForObject("SELECT chain_id FROM journal_entry WHERE seq = ?", String.class, first);
        String chainOfSecond =
                asOwner.queryForObject("SELECT chain_id FROM journal_entry WHERE seq = ?", String.class, second);
        assertThat(chainOfFirst).startsWith("platform-").isEqualTo(chainOfSecond);
        assertThat(asOwner.queryForObject("SELECT chain_seq FROM journal_entry WHERE seq = ?", Long.class, second))
                .isEqualTo(
                        asOwner.queryForObject("SELECT chain_seq FROM journal_entry WHERE seq = ?", Long.class, first)
                                + 1);
        // Many actors spread over several platform chains: their appends do not all lock one head.
        for (int i = 0; i < 40; i++) {
            journal.append(recordOf(UUID.randomUUID(), null));
        }
        assertThat(asOwner.queryForObject(
                        "SELECT count(DISTINCT chain_id) FROM journal_entry WHERE chain_id LIKE 'platform-%'",
                        Long.class))
                .isGreaterThan(4L);
    }

    @Test
    void anAppendOfOneOrganizationDoesNotWaitForAnotherOrganizationsUncommittedAppend() throws Exception {
        UUID busy = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        try (Connection holding = app.getConnection();
                Connection second = app.getConnection();
                Connection third = app.getConnection()) {
            holding.setAutoCommit(false);
            appendOn(holding, busy);

            // If appends shared one lock, this one would wait for the holding transaction and give up.
            second.setAutoCommit(false);
            lockTimeout(second, "5s");
            appendOn(second, other);
            second.commit();

            // The same organization's chain is still one order: its next append waits for the head.
            third.setAutoCommit(false);
            lockTimeout(third, "200ms");
            assertThatThrownBy(() -> appendOn(third, busy))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("55P03");
            third.rollback();

            holding.commit();
        }
        assertThat(asOwner.queryForObject(
                        "SELECT seq FROM journal_chain_head WHERE chain_id = ?", Long.class, busy.toString()))
                .isEqualTo(1L);
        assertThat(asOwner.queryForObject(
                        "SELECT seq FROM journal_chain_head WHERE chain_id = ?", Long.class, other.toString()))
                .isEqualTo(1L);
    }

    @Test
    void aChainCutBackBehindACheckpointIsCaughtFromTheDatabaseOrFromTheFiles() throws Exception {
        UUID org = UUID.randomUUID();
        String chain = org.toString();
        for (int i = 0; i < 5; i++) {
            append(org);
        }
        long checkpoint = checkpoints.checkpointNow();
        assertThat(verifier.verify(owner).problems()).isEmpty();

        // As the owner: the newest three entries deleted, and the head rewritten to the entry left last.
        asOwner.execute("DROP TABLE IF EXISTS cut_saved_entry");
        asOwner.update("CREATE TABLE cut_saved_entry AS SELECT * FROM journal_entry WHERE chain_id = ?", chain);
        try {
            asOwner.update("DELETE FROM journal_entry WHERE chain_id = ? AND chain_seq > 2", chain);
            asOwner.update("""
                    UPDATE journal_chain_head SET seq = 2,
                           hash = (SELECT hash FROM journal_entry WHERE chain_id = ? AND chain_seq = 2)
                     WHERE chain_id = ?
                    """, chain, chain);

            String expected = "chain " + chain + " was cut: the %s covers position 5, the chain now ends at position 2";
            assertThat(verifier.verify(owner).problems())
                    .containsExactly(
                            String.format(expected, "file " + fileOf(checkpoint).getFileName())
                                    + " (the entries from position 3 to position 5 are gone)");

            // With the signed file gone, the row in the database still knows.
            Path file = fileOf(checkpoint);
            Path aside = file.resolveSibling(file.getFileName() + ".aside");
            Files.move(file, aside);
            try {
                assertThat(verifier.verify(owner).problems())
                        .singleElement()
                        .asString()
                        .contains(String.format(expected, "database checkpoint " + checkpoint));
            } finally {
                Files.move(aside, file);
            }
        } finally {
            asOwner.update("DELETE FROM journal_entry WHERE chain_id = ?", chain);
            asOwner.update("INSERT INTO journal_entry SELECT * FROM cut_saved_entry");
            asOwner.update("""
                    UPDATE journal_chain_head SET seq = 5,
                           hash = (SELECT hash FROM journal_entry WHERE chain_id = ? AND chain_seq = 5)
                     WHERE chain_id = ?
                    """, chain, chain);
            asOwner.execute("DROP TABLE cut_saved_entry");
        }
    }

    @Test
    void aCheckpointStoresOnlyTheHeadsThatMovedAndAnUnchangedChainCutBackIsStillCaught() throws Exception {
        UUID moving = UUID.randomUUID();
        UUID still = UUID.randomUUID();
        append(moving);
        append(still);
        append(still);
        long first = checkpoints.checkpointNow();
        append(moving);
        long second = checkpoints.checkpointNow();

        assertThat(second).isGreaterThan(first);
        List<String> stored = asOwner.queryForList(
                "SELECT chain_id FROM journal_checkpoint_head WHERE checkpoint_id = ?", String.class, second);
        assertThat(stored).contains(moving.toString()).doesNotContain(still.toString());
        assertThat(asOwner.queryForObject(
                        "SELECT tree_size FROM journal_checkpoint WHERE id = ?", Integer.class, second))
                .as("its signed root still covers every chain's head")
                .isGreaterThan(stored.size());
        assertThat(Files.readString(fileOf(second)))
                .contains("previous=")
                .contains(moving.toString())
                .doesNotContain(still.toString());
        assertThat(verifier.verify(owner).problems()).isEmpty();

        // The unchanged chain cut back to its first entry, its head rewritten: both checkpoints cover position 2.
        String chain = still.toString();
        asOwner.execute("DROP TABLE IF EXISTS cut_saved_entry");
        asOwner.update("CREATE TABLE cut_saved_entry AS SELECT * FROM journal_entry WHERE chain_id = ?", chain);
        try {
            asOwner.update("DELETE FROM journal_entry WHERE chain_id = ? AND chain_seq > 1", chain);
            asOwner.update("""
                    UPDATE journal_chain_head SET seq = 1,
                           hash = (SELECT hash FROM journal_entry WHERE chain_id = ? AND chain_seq = 1)
                     WHERE chain_id = ?
                    """, chain, chain);
            assertThat(verifier.verify(owner).problems())
                    .singleElement()
                    .asString()
                    .startsWith("chain " + chain + " was cut: the ")
                    .contains("covers position 2, the chain now ends at position 1");
        } finally {
            asOwner.update("DELETE FROM journal_entry WHERE chain_id = ?", chain);
            asOwner.update("INSERT INTO journal_entry SELECT * FROM cut_saved_entry");
            asOwner.update("""
                    UPDATE journal_chain_head SET seq = 2,
                           hash = (SELECT hash FROM journal_entry WHERE chain_id = ? AND chain_seq = 2)
                     WHERE chain_id = ?
                    """, chain, chain);
            asOwner.execute("DROP TABLE cut_saved_entry");
        }
    }

    @Test
    void aHeadChangedInASignedCheckpointNoLongerHashesToItsRoot() throws Exception {
        UUID org = UUID.randomUUID();
        append(org);
        append(org);
        long checkpoint = checkpoints.checkpointNow();

        asOwner.update(
                "UPDATE journal_checkpoint_head SET seq = 1 WHERE checkpoint_id = ? AND chain_id = ?",
                checkpoint,
                org.toString());
        try {
            assertThat(verifier.verify(owner).problems())
                    .containsExactly(
                            "the database checkpoint " + checkpoint
                                    + " lists heads that do not hash to its signed Merkle root: a head was changed after signing");
        } finally {
            asOwner.update(
                    "UPDATE journal_checkpoint_head SET seq = 2 WHERE checkpoint_id = ? AND chain_id = ?",
                    checkpoint,
                    org.toString());
        }

        Path file = fileOf(checkpoint);
        String original = Files.readString(file);
        try {
            Files.writeString(file, original.replace(org + " 2 ", org + " 1 "));
            assertThat(verifier.verify(owner).problems())
                    .singleElement()
                    .asString()
                    .contains("file " + file.getFileName() + " lists heads that do not hash to its signed Merkle root");
        } finally {
            Files.writeString(file, original);
        }
    }

    @Test
    void aCheckpointOlderThanItsIntervalIsReportedApartFromTampering() {
        clock.set(Instant.parse("2031-03-03T10:00:00Z"));
        UUID org = UUID.randomUUID();
        append(org);
        checkpoints.checkpointNow();
        append(org);
        assertThat(verifier.verify(owner).findings()).noneMatch(f -> f.startsWith("latest checkpoint"));

        clock.advance(Duration.ofMinutes(150));
        JournalVerifier.Report late = verifier.verify(owner);
        assertThat(late.problems()).isEmpty();
        assertThat(late.findings())
                .singleElement()
                .asString()
                .startsWith(
                        "latest checkpoint is 150 minutes old (signed at 2031-03-03T10:00:00Z), interval 60 minutes:")
                .contains("entries of 1 chain(s) since 2031-03-03T10:00:00Z are not covered");

        checkpoints.checkpointNow();
        assertThat(verifier.verify(owner).findings()).isEmpty();
    }

    private Path fileOf(long checkpoint) throws Exception {
        byte[] root =
                asOwner.queryForObject("SELECT root FROM journal_checkpoint WHERE id = ?", byte[].class, checkpoint);
        String prefix = HexFormat.of().formatHex(root).substring(0, 16);
        try (var files = Files.list(CHECKPOINT_FILES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(prefix + ".checkpoint"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private long append(UUID organization) {
        return journal.append(record(organization));
    }

    private static AccessRecord record(UUID organization) {
        return recordOf(null, organization);
    }

    private static AccessRecord recordOf(UUID actor, UUID organization) {
        return new AccessRecord(
                AccessRecord.ActorKind.PLATFORM,
                actor,
                "TEST",
                null,
                organization,
                "TEST journal chains",
                "SECURITY",
                "Appointment",
                List.of(UUID.randomUUID()),
                List.of("start"),
                "OK");
    }

    /** What {@link Journal#append} sends, on a connection the test holds open. */
    private void appendOn(Connection c, UUID organization) throws SQLException {
        AccessRecord r = record(organization);
        Instant at = CanonicalForm.truncate(clock.instant());
        String body = CanonicalForm.body(
                at,
                r.actorKind().name(),
                r.actorId(),
                r.actorRole(),
                r.grantId(),
                r.organizationId(),
                r.route(),
                r.purpose(),
                r.resourceType(),
                r.resourceIds(),
                r.fields(),
                r.outcome());
        try (PreparedStatement s = c.prepareStatement("SELECT journal_append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, at.atOffset(ZoneOffset.UTC));
            s.setString(2, r.actorKind().name());
            s.setObject(3, r.actorId(), Types.OTHER);
            s.setString(4, r.actorRole());
            s.setObject(5, r.grantId(), Types.OTHER);
            s.setObject(6, r.organizationId(), Types.OTHER);
            s.setString(7, r.route());
            s.setString(8, r.purpose());
            s.setString(9, r.resourceType());
            s.setArray(10, c.createArrayOf("uuid", r.resourceIds().toArray()));
            s.setArray(11, c.createArrayOf("text", r.fields().toArray()));
            s.setString(12, r.outcome());
            s.setString(13, body);
            s.executeQuery().close();
        }
    }

    private static void lockTimeout(Connection c, String timeout) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + timeout + "'");
        }
    }
}
