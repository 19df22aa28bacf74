package org.creneau.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What counts as a failure for one answer, and the failures of a run grouped by cause (the code
 * that failed when the log names it, else the shape of the answer), each with the operations and
 * actors it touched and the first request that showed it, written out to become a regression test.
 */
final class Verdicts {

    /** Words a stack trace or an internal error leaves in a body; the generated input never contains them. */
    private static final List<String> LEAKS = List.of(
            "at org.", "at java.", "Exception", "java.", "org.springframework", "org.postgresql", "SQLState", "PSQL");

    /** One failure of one answer: what is wrong, and why as far as the answer and the log tell. */
    record Finding(String kind, String cause) {}

    /** One kind of failure from one cause; {@code example} is the first request that showed it. */
    static final class Failure {
        final Finding finding;
        final Set<String> operations = new LinkedHashSet<>();
        final Set<String> actors = new LinkedHashSet<>();
        final String example;
        int count;

        Failure(Finding finding, String example) {
            this.finding = finding;
            this.example = example;
        }
    }

    private final Map<Finding, Failure> failures = new LinkedHashMap<>();
    private final long seed;

    Verdicts(long seed) {
        this.seed = seed;
    }

    /** The failures one answer shows, given what the application logged meanwhile; none for a clean answer. */
    static List<Finding> judge(FuzzRequest request, int status, String contentType, String body, List<String> logged) {
        List<Finding> found = new ArrayList<>();
        String cause =
                logged.isEmpty() ? "answer " + shape(body) : logged.get(0).replaceAll(": .*", "");
        if (status < 0) {
            found.add(new Finding("no answer", body));
            return found;
        }
        if (status >= 500) {
            found.add(new Finding("answered " + status, cause));
        }
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                found.add(new Finding("body names internals (\"" + leak + "\")", cause));
                break;
            }
        }
        boolean head = request.method().equals("HEAD");
        String path = request.target();
        String type = contentType.toLowerCase(Locale.ROOT);
        if (status >= 400 && !head && path.startsWith("/api/") && !type.startsWith("application/problem+json")) {
            found.add(new Finding(
                    "error " + status + " not application/problem+json but \"" + contentType + "\"", cause));
        }
        boolean fhirDiscovery = path.startsWith("/fhir/.well-known/") && type.startsWith("application/problem+json");
        if (status >= 400
                && !head
                && path.startsWith("/fhir")
                && !body.contains("OperationOutcome")
                && !fhirDiscovery) {
            found.add(new Finding(
                    "FHIR error " + status + " without an OperationOutcome (\"" + contentType + "\")", cause));
        }
        if (request.mustRefuse() && status >= 200 && status < 300) {
            found.add(new Finding(
                    "malformed input accepted with " + status, request.method() + " " + request.template()));
        }
        if (status == 409 && path.startsWith("/api/") && !body.contains("\"code\"")) {
            found.add(new Finding("409 from a database constraint: the input was not validated", cause));
        }
        if (status < 500) {
            for (String event : logged) {
                found.add(new Finding("logged " + event.replaceAll(" by .*", ""), event.replaceAll(": .*", "")));
            }
        }
        return found;
    }

    void record(FuzzRequest request, int status, String contentType, String body, List<Finding> findings) {
        for (Finding finding : findings) {
            Failure failure = failures.computeIfAbsent(
                    finding,
                    k -> new Failure(
                            finding,
                            "seed " + seed + ", stream " + request.stream() + ", request #" + request.index() + " as "
                                    + request.actor() + " -> " + status + " " + contentType + "\n"
                                    + request.describe() + "  answer: " + abbreviate(body) + "\n"));
            failure.operations.add(request.method() + " " + request.template());
            failure.actors.add(request.actor());
            failure.count++;
        }
    }

    boolean clean() {
        return failures.isEmpty();
    }

    /** Every failure once, grouped by kind and cause, with the operations, the actors and an exact request. */
    String report() {
        StringBuilder text = new StringBuilder();
        text.append(failures.size())
                .append(" distinct failures (replay with -Dcreneau.fuzz.seed=")
                .append(seed)
                .append("):\n");
        for (Failure f : failures.values()) {
            List<String> operations = new ArrayList<>(f.operations);
            text.append("\n- ")
                    .append(f.finding.kind())
                    .append("\n  cause: ")
                    .append(f.finding.cause())
                    .append("\n  ")
                    .append(f.count)
                    .append(" time(s) as ")
                    .append(f.actors)
                    .append(" on ")
                    .append(
                            operations.size() > 8
                                    ? operations.subList(0, 8) + " and " + (operations.size() - 8) + " more"
                                    : operations)
                    .append("\n  first:\n")
                    .append(f.example.indent(4));
        }
        return text.toString();
    }

    /** The answer without what changes from one request to the next (times, paths, ids). */
    private static String shape(String body) {
        String shape = body.replaceAll("\"(timestamp|instance|path)\"\\s*:\\s*\"[^\"]*\"", "\"$1\":_")
                .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "{uuid}")
                .replaceAll("\\s+", " ");
        return shape.length() <= 160 ? shape : shape.substring(0, 160) + "...";
    }

    private static String abbreviate(String body) {
        String flat = body.replace("\n", "\\n").replace("\r", "\\r");
        return flat.length() <= 400 ? flat : flat.substring(0, 400) + "...";
    }
}
