package org.creneau.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The passwords of the embedded PostgreSQL's roles (its superuser, the owner of the tables and the
 * application's role), generated once and kept in a file readable by its owner only, beside the
 * data directory: {@code data/postgres-credentials.properties} for {@code data/postgres}.
 */
record DatabaseCredentials(String superuser, String owner, String app) {

    static final String SUPERUSER = "postgres";

    /** The file kept beside {@code dataDirectory}. */
    static Path fileFor(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + "-credentials.properties");
    }

    String passwordOf(String role) {
        return switch (role) {
            case SUPERUSER -> superuser;
            case EmbeddedDatabase.OWNER -> owner;
            case EmbeddedDatabase.APP -> app;
            default -> throw new IllegalArgumentException("no password for role " + role);
        };
    }

    /**
     * The credentials in {@code file}, or new ones written there. The file is created whole or not at
     * all (written aside, then linked under its name, which fails if it exists), so two processes
     * starting together end up with the same passwords and a crash never leaves half a file.
     */
    static DatabaseCredentials loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        DatabaseCredentials created = new DatabaseCredentials(randomPassword(), randomPassword(), randomPassword());
        Path aside = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                ".credentials-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Properties properties = new Properties();
            properties.setProperty(SUPERUSER, created.superuser);
            properties.setProperty(EmbeddedDatabase.OWNER, created.owner);
            properties.setProperty(EmbeddedDatabase.APP, created.app);
            try (Writer out = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
                properties.store(out, "Passwords of the embedded PostgreSQL's roles: keep with the data, never share");
            }
            try (var channel = FileChannel.open(aside, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.createLink(file, aside);
            ServerOwner.forceDirectory(file.toAbsolutePath().getParent());
            return created;
        } catch (FileAlreadyExistsException another) {
            return load(file);
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    private static DatabaseCredentials load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String superuser = properties.getProperty(SUPERUSER);
        String owner = properties.getProperty(EmbeddedDatabase.OWNER);
        String app = properties.getProperty(EmbeddedDatabase.APP);
        if (superuser == null || owner == null || app == null) {
            throw new IllegalStateException(file + " lacks a password of " + SUPERUSER + ", " + EmbeddedDatabase.OWNER
                    + " or " + EmbeddedDatabase.APP);
        }
        return new DatabaseCredentials(superuser, owner, app);
    }

    /** 32 random bytes in hex: nothing to quote in SQL or a properties file. */
    private static String randomPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "DatabaseCredentials[hidden]";
    }
}
