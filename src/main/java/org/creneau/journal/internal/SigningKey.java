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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * The Ed25519 key (Tink) that signs journal checkpoints. Kept as a keyset file in the key
 * directory, created on first use, readable by its owner only; the public half sits beside it so
 * a verifier needs no secret.
 */
public final class SigningKey {

    private final KeysetHandle keyset;

    private SigningKey(KeysetHandle keyset) {
        this.keyset = keyset;
    }

    public static SigningKey loadOrCreate(Path directory) {
        try {
            SignatureConfig.register();
            Files.createDirectories(directory);
            Path file = directory.resolve("journal-signing.json");
            KeysetHandle handle;
            if (Files.exists(file)) {
                handle = TinkJsonProtoKeysetFormat.parseKeyset(
                        Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
            } else {
                handle = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519);
                Files.writeString(
                        file, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the directory's own protection applies.
                }
                Files.writeString(
                        directory.resolve("journal-signing.pub.json"),
                        TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(handle.getPublicKeysetHandle()));
            }
            return new SigningKey(handle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("journal signing key unusable", e);
        }
    }

    public byte[] sign(byte[] data) {
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class)
                    .sign(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean verifies(byte[] signature, byte[] data) {
        try {
            keyset.getPublicKeysetHandle()
                    .getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class)
                    .verify(signature, data);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
