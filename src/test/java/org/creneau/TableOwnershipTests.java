package org.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.creneau.platform.OwnsTables;
import org.junit.jupiter.api.Test;

/**
 * Module walls in SQL: Spring Modulith checks Java types only, so this test holds every table of the
 * migrations to exactly one owning module ({@link OwnsTables}) and every module's SQL to its own
 * tables; another module's data is read through that module's API.
 */
class TableOwnershipTests {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path SOURCES = Path.of("src/main/java/org/creneau");

    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?i)\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:\\w+\\.)?(\\w+)");
    /** Java string literals and text blocks: where SQL lives. */
    private static final Pattern LITERAL = Pattern.compile("(?s)\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    /** A table named by a statement: FROM (so DELETE FROM), JOIN, INTO, UPDATE, TABLE. */
    private static final Pattern TABLE_NAMED =
            Pattern.compile("(?i)\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+(?:ONLY\\s+)?(?:\\w+\\.)?(\\w+)\\b");

    @Test
    void everyTableOfTheMigrationsHasExactlyOneOwningModule() {
        Set<String> tables = migrationTables();
        Map<String, List<String>> owners = owners();
        List<String> problems = new ArrayList<>();
        for (String table : tables) {
            List<String> owning = owners.getOrDefault(table, List.of());
            if (owning.size() != 1) {
                problems.add(table + " is owned by " + (owning.isEmpty() ? "no module" : owning));
            }
        }
        owners.keySet().stream()
                .filter(table -> !tables.contains(table))
                .forEach(table ->
                        problems.add(table + " is declared by " + owners.get(table) + " but no migration creates it"));
        assertThat(problems)
                .as("table ownership (@OwnsTables on each module's package-info)")
                .isEmpty();
    }

    @Test
    void noModuleSqlNamesAnotherModulesTable() {
        Set<String> tables = migrationTables();
        Map<String, List<String>> owners = owners();
        Map<String, Set<String>> found = new TreeMap<>();
        for (String module : modules()) {
            for (Path file : javaFiles(SOURCES.resolve(module))) {
                Matcher literal = LITERAL.matcher(read(file));
                while (literal.find()) {
                    String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
                    Matcher named = TABLE_NAMED.matcher(text);
                    while (named.find()) {
                        String table = named.group(1).toLowerCase();
                        if (tables.contains(table)
                                && !owners.getOrDefault(table, List.of()).contains(module)) {
                            found.computeIfAbsent(module + " -> " + table, k -> new TreeSet<>())
                                    .add(SOURCES.relativize(file).toString());
                        }
                    }
                }
            }
        }
        List<String> crossings = found.entrySet().stream()
                .map(e -> e.getKey() + " in " + e.getValue())
                .toList();
        assertThat(crossings)
                .as("SQL naming another module's table: call the owner's API instead")
                .isEmpty();
    }

    private static Set<String> migrationTables() {
        Set<String> tables = new TreeSet<>();
        for (Path file : files(MIGRATIONS, ".sql")) {
            Matcher m = CREATE_TABLE.matcher(read(file));
            while (m.find()) {
                tables.add(m.group(1).toLowerCase());
            }
        }
        assertThat(tables).as("tables created by the migrations").isNotEmpty();
        return tables;
    }

    /** Each declared table with the modules declaring it. */
    private static Map<String, List<String>> owners() {
        Map<String, List<String>> owners = new TreeMap<>();
        for (String module : modules()) {
            OwnsTables owns = ownsTables(module);
            if (owns != null) {
                for (String table : owns.value()) {
                    owners.computeIfAbsent(table, t -> new ArrayList<>()).add(module);
                }
            }
        }
        return owners;
    }

    private static OwnsTables ownsTables(String module) {
        try {
            return Class.forName("org.creneau." + module + ".package-info").getAnnotation(OwnsTables.class);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** The modules: the top-level packages under org.creneau. */
    private static List<String> modules() {
        try (Stream<Path> entries = Files.list(SOURCES)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) {
        return files(dir, ".java");
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
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
}
