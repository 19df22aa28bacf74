package org.creneau.journal.internal;

import java.io.PrintStream;
import java.util.List;
import javax.sql.DataSource;
import org.creneau.journal.JournalVerifier;
import org.creneau.platform.Command;
import org.creneau.platform.OwnerDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code journal verify}: checks every chain and the signed checkpoints, prints each problem (one per
 * chain at most) and exits 1 if there is one; findings that are not tampering (an overdue checkpoint)
 * are printed too and leave the status 0. {@code journal checkpoint}: signs every chain's head now. Reading the
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
                            "Journal intact: %d entries in %d chains, %d signed checkpoints read.%n",
                            report.entries(), report.chains(), report.checkpoints());
                } else {
                    out.printf(
                            "Journal NOT intact: %d problem(s) in %d entries, %d chains, %d signed checkpoints.%n",
                            report.problems().size(), report.entries(), report.chains(), report.checkpoints());
                    report.problems().forEach(p -> out.printf("Problem: %s%n", p));
                }
                // Findings are not tampering: they do not change the exit status.
                report.findings().forEach(f -> out.printf("Finding: %s%n", f));
                return report.intact() ? 0 : 1;
            }
            case "checkpoint" -> {
                out.printf("Checkpoint signed over every chain's head: number %d.%n", checkpoints.checkpointNow());
                return 0;
            }
            default -> {
                out.println("Usage: journal verify | journal checkpoint");
                return 2;
            }
        }
    }

    private DataSource owner() {
        return OwnerDataSource.of(embeddedOwner, environment);
    }
}
