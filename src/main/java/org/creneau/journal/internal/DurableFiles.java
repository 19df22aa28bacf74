package org.creneau.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writing the journal's key and checkpoints so that a power cut never leaves a half-written one
 * under its final name: the content is synced to disk before the file takes that name, and the
 * directory after.
 */
final class DurableFiles {

    private DurableFiles() {}

    /** Writes {@code text} into {@code file} (created if need be) and waits until it is on disk. */
    static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
    }

    /** So that a name just given survives a power cut. */
    static void syncDirectory(Path directory) {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some systems cannot open a directory; the file itself was synced.
        }
    }
}
