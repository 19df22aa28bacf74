package org.creneau;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.creneau.platform.Command;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar creneau.jar journal verify} and the like: the application without its web
 * server, scheduled work or demo data, running one command against the configured database (with
 * the embedded one, whether or not the server is running).
 */
public final class CommandLine {

    static final Set<String> NAMES = Set.of("journal", "apps", "incident");

    private CommandLine() {}

    static boolean handles(String[] args) {
        return args.length > 0 && NAMES.contains(args[0]);
    }

    /**
     * Runs the command; Spring options ({@code --some.property=value}) may follow. Returns the exit
     * code. An argument is a Spring option when it starts with {@code --} and names a dotted property
     * before an {@code =}; every other argument, {@code --name value} included, is the command's.
     */
    public static int run(String[] args, PrintStream out) {
        List<String> words = new ArrayList<>();
        List<String> options = new ArrayList<>(List.of(
                "--creneau.demo.enabled=false",
                "--creneau.scheduling.enabled=false",
                // Spring Modulith's moments turn scheduling on by themselves; nothing here uses them.
                "--spring.modulith.moments.enabled=false",
                // A command may use the embedded server of a running application (the server itself may not).
                "--creneau.database.embedded.share-running-server=true",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN"));
        for (String arg : Arrays.asList(args)) {
            (isSpringOption(arg) ? options : words).add(arg);
        }
        if (words.size() > 1 && words.get(0).equals("journal") && words.get(1).equals("verify")) {
            // A verifier holds the public half of the journal's key only: never read, nor create, a secret one.
            options.add(1, "--creneau.journal.public-key-only=true");
        }
        SpringApplication application = new SpringApplication(CreneauApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(options.toArray(String[]::new))) {
            return context.getBeansOfType(Command.class).values().stream()
                    .filter(c -> c.name().equals(words.get(0)))
                    .findFirst()
                    .map(c -> c.run(words.subList(1, words.size()), out))
                    .orElseGet(() -> {
                        out.println("Unknown command: " + words.get(0));
                        return 2;
                    });
        }
    }

    private static boolean isSpringOption(String arg) {
        int equals = arg.indexOf('=');
        return arg.startsWith("--") && equals > 2 && arg.substring(2, equals).contains(".");
    }
}
