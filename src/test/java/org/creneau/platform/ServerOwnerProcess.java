package org.creneau.platform;

import java.nio.file.Path;

/** A Créneau-like process for {@link EmbeddedServerTests}: starts the embedded server, then waits to be killed. */
final class ServerOwnerProcess {

    static final String READY = "embedded server ready";

    private ServerOwnerProcess() {}

    public static void main(String[] args) throws Exception {
        EmbeddedServer.startOrShare(new EmbeddedServer.Settings(Path.of(args[0]), 0, false, false));
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
