package org.creneau.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.journal.internal.CanonicalForm;
import org.creneau.journal.internal.Checkpoints;
import org.creneau.journal.internal.SigningKey;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database written by the single-chain journal (migrations up to V15) and upgraded: its entries
 * become the closed chain 'legacy' and verify, with their old signed checkpoints, using the public key
 * alone; new appends start their own chains beside it; and a cut of the legacy chain is still caught.
 */
class JournalUpgradeTests {

    static final Instant AT = Instant.parse("2026-06-01T08:00:00Z");

    @TempDir
    Path root;

    @Test
    void aSingleChainJournalUpgradedToChainsStillVerifiesWithItsOldCheckpoints() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(root.resolve("postgres"))
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false)
                .start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE creneau_owner LOGIN");
                s.execute("CREATE ROLE creneau_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
                s.execute("CREATE DATABASE creneau OWNER creneau_owner");
            }
            DataSource owner = pg.getDatabase("creneau_owner", "creneau");
            DataSource app = pg.getDatabase("creneau_app", "creneau");
            migrate(owner, "15");

            UUID org = UUID.randomUUID();
            append(app, org);
            append(app, null);
            append(app, org);
            Path keys = root.resolve("keys");
            Path files = root.resolve("checkpoints");
            signLegacyCheckpoint(owner, app, SigningKey.loadOrCreate(keys), files, 2);

            migrate(owner, null);

            JdbcTemplate asOwner = new JdbcTemplate(owner);
            assertThat(asOwner.queryForMap("SELECT seq, closed FROM journal_chain_head WHERE chain_id = 'legacy'"))
                    .containsEntry("seq", 3L)
                    .containsEntry("closed", true);
            // Whoever verifies holds the public half only.
            Path publicOnly = root.resolve("public");
            Files.createDirectories(publicOnly);
            Files.copy(keys.resolve("journal-signing.pub.json"), publicOnly.resolve("journal-signing.pub.json"));
            Clock clock = Clock.fixed(AT, ZoneOffset.UTC);
            JournalVerifier verifier =
                    new JournalVerifier(Checkpoints.readOnly(clock, files, publicOnly, Duration.ofHours(1)), clock);

            JournalVerifier.Report upgraded = verifier.verify(owner);
            assertThat(upgraded.problems()).isEmpty();
            assertThat(upgraded.entries()).isEqualTo(3);
            assertThat(upgraded.chains()).isEqualTo(1);
            assertThat(upgraded.checkpoints())
                    .as("the old file and the old row")
                    .isEqualTo(2);

            long next = append(app, org);
            append(app, null);
            assertThat(next).as("entries keep their platform-wide numbers").isEqualTo(4);
            JournalVerifier.Report grown = verifier.verify(owner);
            assertThat(grown.problems()).isEmpty();
            assertThat(grown.chains())
                    .as("legacy, the organization's, the platform's")
                    .isEqualTo(3);

            // The legacy chain cut back to its first entry, behind its old signed checkpoint at 2.
            asOwner.update("DELETE FROM journal_entry WHERE chain_id = 'legacy' AND chain_seq > 1");
            asOwner.update("""
                    UPDATE journal_chain_head SET seq = 1,
                           hash = (SELECT hash FROM journal_entry WHERE chain_id = 'legacy' AND chain_seq = 1)
                     WHERE chain_id = 'legacy'
                    """);
            assertThat(verifier.verify(owner).problems())
                    .singleElement()
                    .asString()
                    .startsWith("chain legacy was cut: the ")
                    .contains("covers position 2, the chain now ends at position 1");
        }
    }

    private static void migrate(DataSource owner, String target) {
        var configuration = Flyway.configure()
                .dataSource(owner)
                .locations("classpath:db/migration")
                .placeholders(Map.of("app_role", "creneau_app"));
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    /** What the application sends to journal_append, before and after the upgrade alike. */
    private static long append(DataSource app, UUID organization) throws Exception {
        List<UUID> ids = List.of(UUID.randomUUID());
        String body = CanonicalForm.body(
                AT,
                "PLATFORM",
                null,
                "TEST",
                null,
                organization,
                "TEST upgrade",
                "SECURITY",
                "Appointment",
                ids,
                List.of("start"),
                "OK");
        try (Connection c = app.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT journal_append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, AT.atOffset(ZoneOffset.UTC));
            s.setString(2, "PLATFORM");
            s.setObject(3, null, Types.OTHER);
            s.setString(4, "TEST");
            s.setObject(5, null, Types.OTHER);
            s.setObject(6, organization, Types.OTHER);
            s.setString(7, "TEST upgrade");
            s.setString(8, "SECURITY");
            s.setString(9, "Appointment");
            s.setArray(10, c.createArrayOf("uuid", ids.toArray()));
            s.setArray(11, c.createArrayOf("text", new Object[] {"start"}));
            s.setString(12, "OK");
            s.setString(13, body);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A checkpoint as the single-chain journal signed it: a row and a file naming one position. */
    private static void signLegacyCheckpoint(
            DataSource owner, DataSource app, SigningKey key, Path files, long position) throws Exception {
        byte[] hash = new JdbcTemplate(owner)
                .queryForObject("SELECT hash FROM journal_entry WHERE seq = ?", byte[].class, position);
        Instant signedAt = AT.plusSeconds(30);
        byte[] signature = key.sign(
                (position + "|" + HexFormat.of().formatHex(hash) + "|" + signedAt).getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(files);
        Files.writeString(
                files.resolve(String.format("%020d.checkpoint", position)),
                "position=" + position + "\nhash=" + HexFormat.of().formatHex(hash) + "\nsignedAt=" + signedAt
                        + "\nsignature=" + Base64.getEncoder().encodeToString(signature) + "\n");
        new JdbcTemplate(app)
                .queryForList(
                        "SELECT journal_record_checkpoint(?, ?, ?, ?)",
                        position,
                        hash,
                        signedAt.atOffset(ZoneOffset.UTC),
                        signature);
    }
}
