package org.creneau.platform;

import java.io.PrintStream;
import java.util.List;

/**
 * A command of {@code java -jar creneau.jar NAME ...}, run against the configured database without
 * the web server. Each module registers its own as a bean.
 */
public interface Command {

    /** The first word on the command line, e.g. {@code journal}. */
    String name();

    /** Runs with the words after the name; returns the process exit code. */
    int run(List<String> arguments, PrintStream out);
}
