package org.creneau.incidents.internal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.journal.AccessRecord.ActorKind;
import org.creneau.platform.Command;
import org.creneau.platform.OwnerDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code incident report --app ID | --account ID --from T1 --to T2 [--out DIR] [--detected T]
 * [--contained T]}: investigates one connected app or account over a window and writes the report's
 * files into DIR. Progress goes to stderr; stdout says where the files are and the counts, never a
 * patient's data. Reads the journal and the history as the database owner, as {@code journal verify}.
 */
@Component
class IncidentCommand implements Command {

    private static final Set<String> OPTIONS = Set.of("app", "account", "from", "to", "out", "detected", "contained");

    private final Investigation investigation;
    private final ReportFiles files;
    private final ObjectProvider<DataSource> embeddedOwner;
    private final Environment environment;
    private final Clock clock;
    private final PrintStream progress;

    IncidentCommand(
            Investigation investigation,
            ReportFiles files,
            @Qualifier("ownerDataSource") ObjectProvider<DataSource> embeddedOwner,
            Environment environment,
            Clock clock) {
        this.investigation = investigation;
        this.files = files;
        this.embeddedOwner = embeddedOwner;
        this.environment = environment;
        this.clock = clock;
        this.progress = System.err;
    }

    @Override
    public String name() {
        return "incident";
    }

    @Override
    public int run(List<String> arguments, PrintStream out) {
        if (arguments.isEmpty() || !arguments.get(0).equals("report")) {
            return usage(out, null);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < arguments.size(); i++) {
            String word = arguments.get(i);
            if (!word.startsWith("--")) {
                return usage(out, "unexpected " + word);
            }
            String name = word.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < arguments.size()) {
                value = arguments.get(++i);
            } else {
                return usage(out, "--" + name + " needs a value");
            }
            if (!OPTIONS.contains(name)) {
                return usage(out, "unknown option --" + name);
            }
            options.put(name, value);
        }
        if (options.containsKey("app") == options.containsKey("account")) {
            return usage(out, "give exactly one of --app and --account");
        }
        ActorKind kind = options.containsKey("app") ? ActorKind.APP : ActorKind.ACCOUNT;
        UUID actor;
        Instant from;
        Instant to;
        Instant detected;
        Instant contained;
        try {
            actor = UUID.fromString(options.get(kind == ActorKind.APP ? "app" : "account"));
        } catch (IllegalArgumentException e) {
            return usage(out, "--" + (kind == ActorKind.APP ? "app" : "account") + " must be an id (UUID)");
        }
        try {
            from = time(options, "from", true);
            to = time(options, "to", true);
            detected = time(options, "detected", false);
            contained = time(options, "contained", false);
        } catch (IllegalArgumentException e) {
            return usage(out, e.getMessage());
        }
        if (!to.isAfter(from)) {
            return usage(out, "--to must be after --from");
        }
        Path dir = Path.of(options.getOrDefault(
                "out", "incident-" + actor + "-" + clock.instant().toString().replace(':', '-')));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return usage(out, "--out " + dir + " is a file");
        }
        Findings findings = investigation.investigate(
                new Investigation.Question(kind, actor, from, to, detected, contained),
                OwnerDataSource.of(embeddedOwner, environment),
                line -> progress.println(line));
        progress.println("Writing the report's files...");
        List<Path> written = files.write(findings, dir);
        out.printf(
                "Incident report written to %s (%d files): %d organization(s), %d appointment(s), %d patient(s),"
                        + " %d with contact details; %s%n",
                dir.toAbsolutePath(),
                written.size(),
                findings.organizations().size(),
                findings.appointments(),
                findings.patients(),
                findings.patientsWithContactDetails(),
                findings.integrity().noRecordAltered()
                        ? "no record was altered (journal intact, no write by the actor)."
                        : "integrity cannot be proven: see integrity.txt.");
        out.printf("Start with %s%n", dir.resolve("summary.html").toAbsolutePath());
        return 0;
    }

    /** An ISO-8601 instant or date-time with offset. */
    private static Instant time(Map<String, String> options, String name, boolean required) {
        String value = options.get(name);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be an ISO-8601 time with offset, e.g. 2026-07-01T08:00:00Z");
        }
    }

    private static int usage(PrintStream out, String problem) {
        if (problem != null) {
            out.println("incident report: " + problem);
        }
        out.println("Usage: incident report --app ID | --account ID --from T1 --to T2 [--out DIR]"
                + " [--detected T] [--contained T]");
        return 2;
    }
}
