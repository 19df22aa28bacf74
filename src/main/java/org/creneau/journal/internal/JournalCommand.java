package org.creneau.journal.internal;

import java.io.PrintStream;
import java.util.List;
import javax.sql.DataSource;
import org.creneau.journal.JournalVerifier;
import org.creneau.platform.Command;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.stereotype.Component;

/**
 * {@code journal verify}: checks the chain and the signed checkpoints, prints the first problem,
 * exits 1 if there is one. {@code journal checkpoint}: signs the chain's end now. Reading the
 * journal needs the owner's role (the application's may only append): the embedded database's
 * owner, or {@code spring.flyway.user} with an external one.
 */
@Component
class JournalCommand implements Command {

    private final JournalVerifier verifier;
    private final Checkpoints checkpoints;
    private final ObjectProvider<DataSource> embeddedOwner;
    private final Environment environment;

    JournalCommand(
            JournalVerifier verifier,
            Checkpoints checkpoints,
            @Qualifier("ownerDataSource") ObjectProvider<DataSource> embeddedOwner,
            Environment environment) {
        this.verifier = verifier;
        this.checkpoints = checkpoints;
        this.embeddedOwner = embeddedOwner;
        this.environment = environment;
    }

    @Override
    public String name() {
        return "journal";
    }

    @Override
    public int run(List<String> arguments, PrintStream out) {
        String action = arguments.isEmpty() ? "" : arguments.get(0);
        switch (action) {
            case "verify" -> {
                JournalVerifier.Report report = verifier.verify(owner());
                if (report.intact()) {
                    out.printf(
                            "Journal intact: %d entries, %d signed checkpoints verified.%n",
                            report.entries(), report.checkpoints());
                    return 0;
                }
                out.printf(
                        "Journal NOT intact: %s (checked %d entries in order before it).%n",
                        report.firstProblem(), report.entries());
                return 1;
            }
            case "checkpoint" -> {
                out.printf("Checkpoint signed at entry %d.%n", checkpoints.checkpointNow());
                return 0;
            }
            default -> {
                out.println("Usage: journal verify | journal checkpoint");
                return 2;
            }
        }
    }

    private DataSource owner() {
        DataSource embedded = embeddedOwner.getIfAvailable();
        if (embedded != null) {
            return embedded;
        }
        String url = environment.getProperty("spring.flyway.url", environment.getProperty("spring.datasource.url"));
        return new DriverManagerDataSource(
                url,
                environment.getProperty("spring.flyway.user", environment.getProperty("spring.datasource.username")),
                environment.getProperty(
                        "spring.flyway.password", environment.getProperty("spring.datasource.password")));
    }
}
