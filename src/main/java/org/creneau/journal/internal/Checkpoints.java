package org.creneau.journal.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.journal.internal.MerkleTree.Head;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Signed checkpoints over every chain's head at once, at a configurable interval: the Merkle root of
 * the sorted heads, signed with the journal's Ed25519 key, kept as rows in the database and as a
 * file in the checkpoint directory, outside it, each with the heads it covers. Rewriting or cutting a
 * chain after a checkpoint cannot reproduce the signed root without the key.
 */
@Component
public class Checkpoints {

    /** The chain written by the single-chain journal before chains were partitioned; closed. */
    public static final String LEGACY_CHAIN = "legacy";

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final Clock clock;
    private final Path directory;
    private final SigningKey key;
    private final Duration interval;

    /**
     * Reads or creates the signing key now, once, before anything can be signed: a key made lazily by
     * whichever threads came first was how a checkpoint got signed with a key then thrown away.
     * Public so that a verifier of other directories (a test, a tool) can build its own. With
     * {@code publicKeyOnly} (what {@code journal verify} runs with) only the public half is read: no
     * secret key is needed, none is created, and nothing can be signed.
     */
    @Autowired
    public Checkpoints(
            JdbcClient jdbc,
            TenantScope scope,
            Clock clock,
            @Value("${creneau.journal.checkpoint-directory:data/journal/checkpoints}") String directory,
            @Value("${creneau.journal.key-directory:data/keys}") String keyDirectory,
            @Value("${creneau.journal.checkpoint-interval:PT1M}") Duration interval,
            @Value("${creneau.journal.public-key-only:false}") boolean publicKeyOnly) {
        this(
                jdbc,
                scope,
                clock,
                directory,
                publicKeyOnly
                        ? SigningKey.publicOnly(Path.of(keyDirectory).toAbsolutePath())
                        : SigningKey.loadOrCreate(Path.of(keyDirectory).toAbsolutePath()),
                interval);
    }

    private Checkpoints(
            JdbcClient jdbc, TenantScope scope, Clock clock, String directory, SigningKey key, Duration interval) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.clock = clock;
        this.directory = Path.of(directory).toAbsolutePath();
        this.key = key;
        this.interval = interval;
    }

    /**
     * Checkpoints to verify only, with the public key file of {@code keyDirectory} alone (no secret
     * key needed, none created): reads the files of {@code directory}; cannot sign.
     */
    public static Checkpoints readOnly(Clock clock, Path directory, Path keyDirectory, Duration interval) {
        return new Checkpoints(
                null,
                null,
                clock,
                directory.toString(),
                SigningKey.publicOnly(keyDirectory.toAbsolutePath()),
                interval);
    }

    /**
     * A signed statement about the chains' heads. {@code legacy}: one from before chains were
     * partitioned, naming one position of the single chain (now {@link #LEGACY_CHAIN}) and its hash,
     * with no root. {@code source} says where it was read (a file's name or a database row). Its root
     * covers {@code size} heads, every chain's; with a {@code previousRoot} it lists only the heads that
     * moved since the checkpoint of that root, and a verifier completes it from that one's
     * ({@link #withAllHeads}).
     */
    public record Checkpoint(
            String source,
            boolean legacy,
            Instant signedAt,
            byte[] root,
            List<Head> heads,
            byte[] signature,
            int size,
            byte[] previousRoot) {

        public Checkpoint {
            heads = List.copyOf(heads);
        }

        /** A checkpoint listing every head it covers. */
        public Checkpoint(
                String source, boolean legacy, Instant signedAt, byte[] root, List<Head> heads, byte[] signature) {
            this(source, legacy, signedAt, root, heads, signature, heads.size(), null);
        }

        /** Whether it lists only the heads that moved since a previous checkpoint. */
        public boolean partial() {
            return previousRoot != null;
        }

        /** The same checkpoint listing every head: the previous one's, with the ones it lists instead. */
        public Checkpoint withAllHeads(List<Head> previousHeads) {
            java.util.Map<String, Head> all = new java.util.TreeMap<>();
            previousHeads.forEach(h -> all.put(h.chain(), h));
            heads.forEach(h -> all.put(h.chain(), h));
            return new Checkpoint(
                    source,
                    legacy,
                    signedAt,
                    root,
                    MerkleTree.sorted(new ArrayList<>(all.values())),
                    signature,
                    size,
                    null);
        }

        /** The bytes the signature covers: the root, how many heads it covers, and when. */
        byte[] signedText() {
            String text = legacy
                    ? heads.get(0).seq() + "|"
                            + HexFormat.of().formatHex(heads.get(0).hash()) + "|" + signedAt
                    : "heads|" + size + "|" + HexFormat.of().formatHex(root) + "|" + signedAt;
            return text.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * Whether the heads it lists hash to the root it signed (always so for a legacy one: it has one
         * head). A partial one must first be completed ({@link #withAllHeads}).
         */
        public boolean headsMatchRoot() {
            return legacy || (!partial() && heads.size() == size && Arrays.equals(MerkleTree.root(heads), root));
        }

        Checkpoint from(String where) {
            return new Checkpoint(where, legacy, signedAt, root, heads, signature, size, previousRoot);
        }
    }

    /** How often a checkpoint is due: a verifier reports one older than this with entries it does not cover. */
    public Duration interval() {
        return interval;
    }

    /**
     * Signs every chain's head now, unless the newest checkpoint already covers exactly these heads;
     * returns that checkpoint's number (0: no chain yet). The root covers every head, but only the
     * heads that moved since the newest checkpoint are stored (in the database and the file), with that
     * checkpoint's root. One signer at a time across nodes (a lock held until commit), so each
     * checkpoint follows the one before. Joins the surrounding transaction, if any: a containment's
     * freeze commits with its alert.
     */
    @Scheduled(
            initialDelayString = "${creneau.journal.checkpoint-interval:PT1M}",
            fixedDelayString = "${creneau.journal.checkpoint-interval:PT1M}")
    public long checkpointNow() {
        return scope.write(Caller.ANONYMOUS, () -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('journal-checkpoint', 0))")
                    .query()
                    .singleRow();
            List<Head> heads = MerkleTree.sorted(jdbc.sql("SELECT chain_id, seq, hash FROM journal_heads_now()")
                    .query((rs, i) -> new Head(rs.getString("chain_id"), rs.getLong("seq"), rs.getBytes("hash")))
                    .list());
            if (heads.isEmpty()) {
                return 0L;
            }
            byte[] root = MerkleTree.root(heads);
            record Latest(long id, byte[] root, byte[] signature) {}
            List<Latest> latest = jdbc.sql("SELECT id, root, signature FROM journal_latest_checkpoint()")
                    .query((rs, i) -> new Latest(rs.getLong("id"), rs.getBytes("root"), rs.getBytes("signature")))
                    .list();
            boolean follows = !latest.isEmpty() && signedByThisKey(latest.get(0).signature());
            if (follows && Arrays.equals(latest.get(0).root(), root)) {
                return latest.get(0).id();
            }
            List<Head> stored = heads;
            byte[] previousRoot = null;
            if (follows) {
                // Only the heads that moved since the newest checkpoint; the others are as it covers them.
                java.util.Map<String, Head> covered = new java.util.HashMap<>();
                jdbc.sql("SELECT chain_id, seq, hash FROM journal_checkpointed_heads()")
                        .query((rs, i) -> new Head(rs.getString("chain_id"), rs.getLong("seq"), rs.getBytes("hash")))
                        .list()
                        .forEach(h -> covered.put(h.chain(), h));
                stored = heads.stream()
                        .filter(h -> covered.get(h.chain()) == null
                                || covered.get(h.chain()).seq() != h.seq()
                                || !Arrays.equals(covered.get(h.chain()).hash(), h.hash()))
                        .toList();
                previousRoot = latest.get(0).root();
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Checkpoint unsigned = new Checkpoint("", false, now, root, stored, new byte[0], heads.size(), previousRoot);
            Checkpoint signed = new Checkpoint(
                    "", false, now, root, stored, key.sign(unsigned.signedText()), heads.size(), previousRoot);
            write(signed);
            long id = jdbc.sql("""
                            SELECT journal_record_checkpoint_after(:root, :size, :at, :signature, :previous, :chains,
                                                                   :seqs, :hashes)
                            """)
                    .param("root", signed.root())
                    .param("size", signed.size())
                    .param("at", signed.signedAt().atOffset(ZoneOffset.UTC))
                    .param("signature", signed.signature())
                    .param("previous", previousRoot, java.sql.Types.BINARY)
                    .param("chains", stored.stream().map(Head::chain).toArray(String[]::new))
                    .param("seqs", stored.stream().map(Head::seq).toArray(Long[]::new))
                    .param("hashes", stored.stream().map(Head::hash).toArray(byte[][]::new))
                    .query(Long.class)
                    .single();
            log.info(
                    "Journal checkpoint {} signed over {} chain heads, {} of them stored",
                    id,
                    heads.size(),
                    stored.size());
            return id;
        });
    }

    /** The checkpoint files, oldest first: the legacy ones and those over every head. */
    public List<Checkpoint> readFiles() {
        List<Checkpoint> all = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return all;
        }
        try (var files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".checkpoint"))
                    .sorted()
                    .toList()) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                all.add(parse(p).from("file " + f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(Comparator.comparing(Checkpoint::signedAt));
        return all;
    }

    private static Checkpoint parse(Properties p) {
        Instant signedAt = Instant.parse(p.getProperty("signedAt"));
        byte[] signature = Base64.getDecoder().decode(p.getProperty("signature"));
        if (p.getProperty("root") == null) {
            Head only = new Head(
                    LEGACY_CHAIN,
                    Long.parseLong(p.getProperty("position")),
                    HexFormat.of().parseHex(p.getProperty("hash")));
            return new Checkpoint("", true, signedAt, null, List.of(only), signature);
        }
        int size = Integer.parseInt(p.getProperty("size"));
        // A partial checkpoint lists fewer heads than its root covers.
        int listed = p.getProperty("heads") == null ? size : Integer.parseInt(p.getProperty("heads"));
        byte[] previousRoot =
                p.getProperty("previous") == null ? null : HexFormat.of().parseHex(p.getProperty("previous"));
        List<Head> heads = new ArrayList<>();
        for (int i = 0; i < listed; i++) {
            String[] parts = p.getProperty("head." + i, "").split(" ");
            if (parts.length != 3) {
                throw new IllegalStateException("checkpoint file lacks head " + i);
            }
            heads.add(
                    new Head(parts[0], Long.parseLong(parts[1]), HexFormat.of().parseHex(parts[2])));
        }
        return new Checkpoint(
                "",
                false,
                signedAt,
                HexFormat.of().parseHex(p.getProperty("root")),
                heads,
                signature,
                size,
                previousRoot);
    }

    public boolean authentic(Checkpoint c) {
        return key.verifies(c.signature(), c.signedText());
    }

    /**
     * Whether a signature names this key (Tink prefixes it with the key's id), to tell a checkpoint
     * altered after signing from one signed by another key (forged, or the key was replaced).
     */
    public boolean signedByThisKey(byte[] signature) {
        return key.named(signature);
    }

    private void write(Checkpoint c) {
        try {
            Files.createDirectories(directory);
            StringBuilder text = new StringBuilder()
                    .append("root=")
                    .append(HexFormat.of().formatHex(c.root()))
                    .append("\nsize=")
                    .append(c.size())
                    .append("\nheads=")
                    .append(c.heads().size())
                    .append("\nsignedAt=")
                    .append(c.signedAt())
                    .append("\nsignature=")
                    .append(Base64.getEncoder().encodeToString(c.signature()))
                    .append('\n');
            if (c.partial()) {
                text.append("previous=")
                        .append(HexFormat.of().formatHex(c.previousRoot()))
                        .append('\n');
            }
            for (int i = 0; i < c.heads().size(); i++) {
                Head h = c.heads().get(i);
                text.append("head.")
                        .append(i)
                        .append('=')
                        .append(h.chain())
                        .append(' ')
                        .append(h.seq())
                        .append(' ')
                        .append(HexFormat.of().formatHex(h.hash()))
                        .append('\n');
            }
            String name = "heads-" + FILE_TIME.format(c.signedAt()) + "-"
                    + HexFormat.of().formatHex(c.root()).substring(0, 16) + ".checkpoint";
            // Two nodes may sign the same heads at once: each writes its own file, the last rename wins.
            Path tmp = directory.resolve(name + "-" + UUID.randomUUID() + ".tmp");
            DurableFiles.writeSynced(tmp, text.toString());
            Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
