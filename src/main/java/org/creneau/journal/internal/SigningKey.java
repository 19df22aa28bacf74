package org.creneau.journal.internal;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key (Tink) that signs journal checkpoints. Kept as a keyset file in the key
 * directory, readable by its owner only; the public half sits beside it so a verifier needs no
 * secret. Created once, never overwritten: a checkpoint signed with a key that was later replaced
 * could never be verified again.
 */
public final class SigningKey {

    static final String KEYSET_FILE = "journal-signing.json";
    static final String PUBLIC_FILE = "journal-signing.pub.json";
    static final String LOCK_FILE = "journal-signing.lock";

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    /**
     * A file lock belongs to the whole process (a second one in the same process throws), so the
     * threads and application contexts of one process queue here before taking it.
     */
    private static final ReentrantLock IN_THIS_PROCESS = new ReentrantLock();

    private final KeysetHandle keyset;
    private final KeysetHandle publicHalf;

    private SigningKey(KeysetHandle keyset, KeysetHandle publicHalf) {
        this.keyset = keyset;
        this.publicHalf = publicHalf;
    }

    private SigningKey(KeysetHandle keyset) throws GeneralSecurityException {
        this(keyset, keyset.getPublicKeysetHandle());
    }

    /**
     * The public half alone, from its file in {@code directory}: enough to verify checkpoints, never
     * to sign one. What a verifier away from the servers holds.
     */
    public static SigningKey publicOnly(Path directory) {
        Path file = directory.resolve(PUBLIC_FILE);
        try {
            SignatureConfig.register();
            KeysetHandle published =
                    TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(Files.readString(file, StandardCharsets.UTF_8));
            return new SigningKey(null, published);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("journal public key " + file + " is unreadable", e);
        }
    }

    /**
     * Reads the key in {@code directory}, or creates it there if there is none. The server, a
     * {@code journal verify} command and other nodes on a shared volume may all start at once: the
     * lock file makes the first one create the key and every other one read that same key.
     */
    public static SigningKey loadOrCreate(Path directory) {
        try {
            SignatureConfig.register();
            if (Files.exists(directory.resolve(KEYSET_FILE)) && Files.exists(directory.resolve(PUBLIC_FILE))) {
                // Both are only ever given their name once whole: reading them needs no lock, nor a
                // writable directory (a key mounted read-only).
                KeysetHandle keyset = read(directory.resolve(KEYSET_FILE));
                publishPublicHalf(directory, keyset);
                return new SigningKey(keyset);
            }
            Files.createDirectories(directory);
            IN_THIS_PROCESS.lock();
            try (FileChannel lockFile = FileChannel.open(
                            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lockFile.lock()) {
                KeysetHandle keyset = readOrCreate(directory);
                publishPublicHalf(directory, keyset);
                return new SigningKey(keyset);
            } finally {
                IN_THIS_PROCESS.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("journal signing key unusable", e);
        }
    }

    private static KeysetHandle readOrCreate(Path directory) throws IOException, GeneralSecurityException {
        Path file = directory.resolve(KEYSET_FILE);
        if (!Files.exists(file)) {
            KeysetHandle created = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519);
            if (createNew(
                    file,
                    TinkJsonProtoKeysetFormat.serializeKeyset(created, InsecureSecretKeyAccess.get()),
                    "rw-------")) {
                log.info("Journal signing key created in {}", directory);
                return created;
            }
            // Created meanwhile by a process that did not take the lock: that one is the key.
        }
        return read(file);
    }

    private static KeysetHandle read(Path file) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(
                    Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | IOException e) {
            // Never replaced by a new one: every checkpoint it signed would then read as forged.
            throw new IllegalStateException(
                    "journal signing key " + file + " is unreadable: restore it from a backup", e);
        }
    }

    private static void publishPublicHalf(Path directory, KeysetHandle keyset)
            throws IOException, GeneralSecurityException {
        Path file = directory.resolve(PUBLIC_FILE);
        KeysetHandle publicHalf = keyset.getPublicKeysetHandle();
        if (!Files.exists(file)) {
            createNew(file, TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(publicHalf), "rw-r--r--");
            return;
        }
        KeysetHandle published;
        try {
            published =
                    TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(Files.readString(file, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IOException e) {
            published = null;
        }
        if (published == null || !published.equalsKeyset(publicHalf)) {
            // Left as it is: whoever verifies with it will see the mismatch; an operator decides.
            log.warn("{} is not the public half of {}: checkpoints are signed with the latter", file, KEYSET_FILE);
        }
    }

    /**
     * Writes {@code text} as {@code file} if there is no such file yet, all at once: a temporary file
     * synced to disk, then linked under its name (which fails if the name is taken). Returns false,
     * writing nothing, if the file already exists.
     */
    private static boolean createNew(Path file, String text, String permissions) throws IOException {
        Path directory = file.getParent();
        Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
        try {
            permit(temporary, permissions);
            DurableFiles.writeSynced(temporary, text);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // No hard links on this file system: a move that refuses an existing name, under the lock.
                try {
                    Files.move(temporary, file);
                } catch (FileAlreadyExistsException taken) {
                    return false;
                }
            }
            DurableFiles.syncDirectory(directory);
            return true;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void permit(Path file, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own protection applies.
        }
    }

    public byte[] sign(byte[] data) {
        if (keyset == null) {
            throw new IllegalStateException("only the journal's public key is here: it cannot sign");
        }
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class)
                    .sign(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the signature's prefix names one of this keyset's keys: Tink starts a signature with a
     * version byte and the id of the key that made it.
     */
    public boolean named(byte[] signature) {
        if (signature.length < 5 || (signature[0] != 0x01 && signature[0] != 0x00)) {
            return true;
        }
        int id = java.nio.ByteBuffer.wrap(signature, 1, 4).getInt();
        for (int i = 0; i < publicHalf.size(); i++) {
            if (publicHalf.getAt(i).getId() == id) {
                return true;
            }
        }
        return false;
    }

    public boolean verifies(byte[] signature, byte[] data) {
        try {
            publicHalf
                    .getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class)
                    .verify(signature, data);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
