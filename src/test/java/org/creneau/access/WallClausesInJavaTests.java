package org.creneau.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The grant and decoy walls are written once, in the database (V17): this scans the string literals
 * of the application's Java sources (where its SQL lives) and fails when a copy of the narrowing or a
 * decoy filter comes back, or when someone else than {@link TenantScope} sets the caller's settings.
 */
class WallClausesInJavaTests {

    private static final Path SOURCES = Path.of("src/main/java");

    /** What no SQL may say, and the only files allowed to say it. */
    private static final Map<Pattern, Set<String>> ONLY_IN = Map.of(
            // The registry's own column: it writes and shows the grant's agendas.
            Pattern.compile("practitioner_ids"), Set.of("org/creneau/apps/internal/AppGrants.java"),
            // The keeper places and moves the decoys, through the owners of their tables (patients, booking)
            // and only as the keeper; nobody else filters on them (NOT decoy, AND a.decoy, decoy = false...).
            // A message naming a decoy is no filter.
            Pattern.compile("(?i)\\b(not|and|or|where|on|when)\\s+(\\w+\\.)?decoy\\b|\\bdecoy\\s*(=|<>|!=|is\\b)"),
                    Set.of("org/creneau/patients/DecoyPatients.java", "org/creneau/booking/DecoyAppointments.java"),
            Pattern.compile("creneau\\.(org_id|account_id|grant_id|canary_keeper)"),
                    Set.of("org/creneau/access/TenantScope.java"));

    @Test
    void noSqlCopiesTheGrantNarrowingOrADecoyFilterOrSetsTheCallersSettings() {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            String name = SOURCES.relativize(file).toString().replace('\\', '/');
            for (String literal : literals(read(file))) {
                ONLY_IN.forEach((pattern, allowed) -> {
                    if (pattern.matcher(literal).find() && !allowed.contains(name)) {
                        found.add(name + ": " + pattern + " in \"" + literal.strip() + "\"");
                    }
                });
            }
        }
        assertThat(found).as("clauses the database walls already apply").isEmpty();
    }

    @Test
    void onlyTheCanarySeedingActsAsTheCanaryKeeper() {
        List<String> keepers = javaFiles().stream()
                .filter(file -> read(file).contains("new Caller.CanaryKeeper("))
                .map(file -> SOURCES.relativize(file).toString().replace('\\', '/'))
                .toList();
        assertThat(keepers).containsExactly("org/creneau/guard/internal/CanarySeeding.java");
    }

    @Test
    void aDecoyFilterIsFoundInEveryShape() {
        Pattern filter = ONLY_IN.keySet().stream()
                .filter(p -> p.pattern().contains("decoy"))
                .findFirst()
                .orElseThrow();
        for (String sql : List.of(
                "WHERE id = :id AND NOT decoy",
                "AND NOT a.decoy",
                "WHERE decoy AND id = ANY (:ids)",
                "a.decoy = false",
                "decoy IS FALSE")) {
            assertThat(filter.matcher(sql).find()).as(sql).isTrue();
        }
        assertThat(filter.matcher("a decoy record was read").find()).isFalse();
    }

    @Test
    void theScannerFindsAClauseInATextBlockAndIgnoresComments() {
        String source = "class A { // NOT decoy\n /* practitioner_ids */ String q = \"\"\"\n"
                + "  SELECT 1 FROM appointment WHERE NOT decoy\n  \"\"\"; char c = '\"'; String r = \"x\\\"y\"; }";
        assertThat(literals(source)).containsExactly("\n  SELECT 1 FROM appointment WHERE NOT decoy\n  ", "x\\\"y");
    }

    private static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contents of the string literals and text blocks of a Java source, comments left out. */
    static List<String> literals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end + 1;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? source.length() : end;
                literals.add(source.substring(i + 3, end));
                i = Math.min(source.length(), end + 3);
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != quote) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                if (quote == '"') {
                    literals.add(source.substring(i + 1, Math.min(end, source.length())));
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return literals;
    }
}
